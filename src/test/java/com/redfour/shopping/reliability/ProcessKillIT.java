package com.redfour.shopping.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.reliability.WriteLoad.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The service process is killed ({@code kill -9}) under write load and started again: every change it
 * acknowledged before dying is in the database, and served by the new process.
 */
class ProcessKillIT {

    @Test
    void everyAcknowledgedChangeSurvivesKill9() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("kill");
                PackagedService service = PackagedService.start("process-kill", database, Map.of())) {
            Api api = new Api(service);
            List<String> keys = Summary.openSessions(api, "kill", 4);
            WriteLoad load = new WriteLoad(api, keys, 8).start();
            Duration restart;
            long killedAt;
            try (load) {
                await("1000 acknowledged writes", Duration.ofSeconds(90), () -> load.acknowledged.sum() >= 1000);
                long pid = service.pid();
                service.kill();
                killedAt = System.nanoTime();
                assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "the process is gone");
                load.stop();
                restart = service.start();
            }
            long recovered = System.nanoTime() - killedAt;

            WriteLoad.Audit audit = load.audit(database);
            Map<String, Long> served = quantitiesServed(api, keys);
            long lostThroughApi = load.lost(served);
            Api.Reply after = api.send("POST", Api.session(keys.get(0)) + "/items",
                    "{\"sku\":\"AFTER-RESTART\",\"name\":\"After restart\",\"price\":1.00}");

            System.out.println("process-kill: " + load.counts() + " restartMs=" + restart.toMillis() + " audit=" + audit);
            Summary.print("Process killed (kill -9) under write load, restarted", load.sent.sum(), audit.acknowledged(),
                    audit.lost(), Summary.seconds(recovered) + " from kill to ready (process start "
                            + Summary.seconds(restart.toNanos()) + ")",
                    load.refused.sum() + " cut off unanswered, " + audit.appliedUnacknowledged()
                            + " applied but unacknowledged");

            assertEquals(0, audit.lost(), () -> "acknowledged changes lost: " + audit.lostLines());
            assertEquals(0, lostThroughApi, "the restarted service serves every acknowledged change");
            assertEquals(0, load.hung.sum(), "no request hangs");
            assertEquals(0, load.other.sum(), () -> "only 2xx before the kill: " + load.otherSamples);
            assertEquals(200, after.status(), "the restarted service accepts writes");
        }
    }

    /** Every line's quantity as the service serves it ({@code key|sku} to quantity). */
    static Map<String, Long> quantitiesServed(Api api, List<String> keys) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<String, Long> served = new HashMap<>();
        for (String key : keys) {
            Api.Reply reply = api.get(Api.session(key));
            assertEquals(200, reply.status(), reply.body());
            for (JsonNode item : json.readTree(reply.body()).path("items")) {
                served.put(key + "|" + item.path("sku").asText(), item.path("quantity").asLong());
            }
        }
        return served;
    }
}
