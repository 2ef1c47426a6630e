package com.redfour.shopping.reliability;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.redfour.shopping.reliability.WriteLoad.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A database too slow to answer: every statement on the session table waits on a lock held by
 * another connection, so all pooled connections are taken by statements that do not return. Requests
 * that find no free connection are answered 503 after the acquire timeout, the statements themselves
 * end with 503 at the statement timeout, readiness is DOWN meanwhile, and once the database answers
 * again so does the service. Nothing refused was written.
 */
class PoolExhaustionIT {

    private static final int POOL = 20; // quarkus.datasource.reactive.max-size
    private static final int PROBES = 10;

    @Test
    void aSaturatedPoolAnswers503InBoundedTimeAndRecovers() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("pool");
                PackagedService service = PackagedService.start("pool-exhaustion", database, Map.of())) {
            Api api = new Api(service);
            List<String> keys = Summary.openSessions(api, "pool", POOL + PROBES);
            List<CompletableFuture<Api.Reply>> slow = new ArrayList<>();
            List<CompletableFuture<Api.Reply>> probes = new ArrayList<>();
            int readiness;
            long releasedAt;
            try (AutoCloseable lock = database.lockSessionTable()) {
                for (String key : keys.subList(0, POOL)) {
                    slow.add(GracefulShutdownIT.addAsync(api, key, "SLOW"));
                }
                await("every pooled connection waiting on the lock", Duration.ofSeconds(20),
                        () -> database.statementsWaitingOnLocks() >= POOL);

                for (String key : keys.subList(POOL, POOL + PROBES)) {
                    probes.add(GracefulShutdownIT.addAsync(api, key, "PROBE"));
                }
                probes.add(getAsync(api, keys.get(POOL)));
                readiness = DatabaseOutageIT.status(api, "/q/health/ready");
                for (CompletableFuture<Api.Reply> probe : probes) {
                    probe.get(Api.HANG.toSeconds(), TimeUnit.SECONDS);
                }
                for (CompletableFuture<Api.Reply> statement : slow) {
                    statement.get(Api.HANG.toSeconds(), TimeUnit.SECONDS);
                }
                releasedAt = System.nanoTime();
            }
            long recovered = firstWriteAfter(api, keys.get(0), releasedAt);
            int recoveredOk = 0;
            for (String key : keys) {
                recoveredOk += api.send("POST", Api.session(key) + "/items",
                        "{\"sku\":\"AFTER\",\"name\":\"After\",\"price\":1.00}").acknowledged() ? 1 : 0;
            }

            List<Api.Reply> probeReplies = probes.stream().map(CompletableFuture::join).toList();
            List<Api.Reply> slowReplies = slow.stream().map(CompletableFuture::join).toList();
            long probeMax = probeReplies.stream().mapToLong(Api.Reply::millis).max().orElse(0);
            long slowMax = slowReplies.stream().mapToLong(Api.Reply::millis).max().orElse(0);
            long written = GracefulShutdownIT.countLines(database, "SLOW") + GracefulShutdownIT.countLines(database, "PROBE");
            long acknowledged = recoveredOk + 1;
            long storedAfter = GracefulShutdownIT.countLines(database, "AFTER");
            System.out.println("pool-exhaustion: probes=" + probeReplies.stream().map(Api.Reply::status).toList()
                    + " probeMaxMs=" + probeMax + " slow=" + slowReplies.stream().map(Api.Reply::status).toList()
                    + " slowMaxMs=" + slowMax + " readiness=" + readiness + " recoveredMs=" + recovered / 1_000_000);
            Summary.print("Pool exhausted by statements stuck on a table lock (" + POOL + " connections)",
                    POOL + probes.size() + 1 + keys.size(), acknowledged, acknowledged - Math.min(acknowledged, storedAfter),
                    Summary.seconds(recovered) + " from the lock's release to the first write",
                    PROBES + 1 + " requests without a connection: 503 in at most " + probeMax + " ms; "
                            + POOL + " stuck statements: 503 in at most " + slowMax + " ms (statement timeout); readiness "
                            + readiness);

            assertTrue(probeReplies.stream().allMatch(Api.Reply::unavailable),
                    () -> "requests that find no free connection get 503 unavailable: " + probeReplies);
            assertTrue(slowReplies.stream().allMatch(Api.Reply::unavailable),
                    () -> "statements past the statement timeout get 503 unavailable: " + slowReplies);
            assertEquals(503, readiness, "readiness is DOWN while no connection can be had");
            assertEquals(0, written, "no refused write was applied");
            assertEquals(keys.size(), recoveredOk, "every session accepts writes again");
            assertEquals(acknowledged, storedAfter, "every acknowledged write is stored");
        }
    }

    static CompletableFuture<Api.Reply> getAsync(Api api, String key) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return api.get(Api.session(key));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Writes until one is acknowledged; answers how long after {@code since} that was. */
    static long firstWriteAfter(Api api, String key, long since) throws Exception {
        long deadline = since + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Api.Reply reply = api.send("POST", Api.session(key) + "/items",
                    "{\"sku\":\"AFTER\",\"name\":\"After\",\"price\":1.00}");
            if (reply.acknowledged()) {
                return System.nanoTime() - since;
            }
            PackagedService.pause(Duration.ofMillis(20));
        }
        throw new AssertionError("no write acknowledged within 30 s of the database answering again");
    }
}
