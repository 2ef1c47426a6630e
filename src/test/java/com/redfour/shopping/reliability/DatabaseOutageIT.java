package com.redfour.shopping.reliability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.reliability.WriteLoad.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The database stops under write load and comes back: writes are answered 503 problem+json with
 * {@code Retry-After} meanwhile (never a hang, never a 500), readiness is DOWN and liveness UP, the
 * service recovers by itself within 5 s of the database's return, and no acknowledged change is lost.
 */
class DatabaseOutageIT {

    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(5);

    @Test
    void writesAreRefusedWhileTheDatabaseIsDownAndNoAcknowledgedChangeIsLost() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("outage");
                PackagedService service = PackagedService.start("database-outage", database, Map.of())) {
            Api api = new Api(service);
            List<String> keys = Summary.openSessions(api, "outage", 4);
            try (WriteLoad load = new WriteLoad(api, keys, 8).start()) {
                await("500 acknowledged writes", Duration.ofSeconds(60), () -> load.acknowledged.sum() >= 500);

                database.stop();
                long downAt = System.nanoTime();
                await("writes answered 503 while the database is down", Duration.ofSeconds(30),
                        () -> load.unavailable.sum() >= 50);
                await("readiness DOWN while the database is down", Duration.ofSeconds(30),
                        () -> status(api, "/q/health/ready") == 503);
                assertEquals(200, status(api, "/q/health/live"), "liveness stays UP while the database is down");
                long firstUnavailableMs = (load.lastUnavailableAt.get() - downAt) / 1_000_000;

                database.start();
                long upAt = System.nanoTime();
                await("a write acknowledged after the database returned", Duration.ofSeconds(30),
                        () -> load.lastAcknowledgedAt.get() > upAt);
                long recovered = load.lastAcknowledgedAt.get() - upAt;
                await("readiness UP again", Duration.ofSeconds(30), () -> status(api, "/q/health/ready") == 200);
                long ready = System.nanoTime() - upAt;
                long ackedAtRecovery = load.acknowledged.sum();
                await("500 more acknowledged writes", Duration.ofSeconds(60),
                        () -> load.acknowledged.sum() >= ackedAtRecovery + 500);
                load.stop();

                WriteLoad.Audit audit = load.audit(database);
                System.out.println("database-outage: " + load.counts() + " maxUnavailableMs="
                        + load.maxUnavailableNanos.get() / 1_000_000 + " recoveredMs=" + recovered / 1_000_000
                        + " readyMs=" + ready / 1_000_000 + " audit=" + audit);
                Summary.print("Database down under write load (pg_ctl stop -m fast, then start)",
                        load.sent.sum(), audit.acknowledged(), audit.lost(),
                        Summary.seconds(recovered) + " to the first write, " + Summary.seconds(ready) + " to ready",
                        load.unavailable.sum() + " answered 503 (slowest " + load.maxUnavailableNanos.get() / 1_000_000
                                + " ms), 0 hung, " + audit.appliedUnacknowledged() + " applied but unacknowledged");

                assertEquals(0, load.hung.sum(), "no request hangs");
                assertEquals(0, load.refused.sum(), "the service itself stays up");
                assertEquals(0, load.other.sum(), () -> "only 2xx and 503 unavailable: " + load.otherSamples);
                assertEquals(0, audit.lost(), () -> "acknowledged changes lost: " + audit.lostLines());
                assertEquals(load.acknowledged.sum(), audit.acknowledged());
                assertTrue(recovered <= RECOVERY_BOUND.toNanos(),
                        "recovered " + recovered / 1_000_000 + " ms after the database returned");
                assertTrue(firstUnavailableMs >= 0);
            }
        }
    }

    static int status(Api api, String path) {
        try {
            return api.get(path).status();
        } catch (Exception e) {
            return -1;
        }
    }
}
