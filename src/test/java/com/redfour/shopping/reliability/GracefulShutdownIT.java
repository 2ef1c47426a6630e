package com.redfour.shopping.reliability;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.redfour.shopping.reliability.WriteLoad.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGTERM while requests are in flight: those complete, new ones are refused, and the process exits
 * within the grace period ({@code quarkus.shutdown.timeout}), also when in-flight requests never finish.
 */
class GracefulShutdownIT {

    private static final int IN_FLIGHT = 5;

    @Test
    void requestsInFlightCompleteAndNewOnesAreRefused() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("drain");
                // The in-flight writes wait on a lock while the test waits for them and probes the drain;
                // that can outlast the statement timeout (5 s) and the request deadline (10 s), which are
                // not under test here.
                PackagedService service = PackagedService.start("graceful-shutdown", database,
                        Map.of("JAVA_TOOL_OPTIONS", "-Dquarkus.datasource.reactive.additional-properties.statement_timeout=60s",
                                "REDFOUR_REQUEST_DEADLINE", "PT60S"))) {
            Api api = new Api(service);
            List<String> keys = Summary.openSessions(api, "drain", IN_FLIGHT + 1);
            String fresh = keys.remove(IN_FLIGHT); // for requests arriving during the drain
            List<CompletableFuture<Api.Reply>> inFlight = new ArrayList<>();
            String refusal = null;
            long terminatedAt;
            try (AutoCloseable lock = database.lockSessionTable()) {
                for (String key : keys) {
                    inFlight.add(addAsync(api, key, "IN-FLIGHT"));
                }
                await(IN_FLIGHT + " writes waiting in the database", Duration.ofSeconds(20),
                        () -> database.statementsWaitingOnLocks() >= IN_FLIGHT);

                service.terminate();
                terminatedAt = System.nanoTime();
                // The signal takes a moment to reach the process: a write sent before the drain begins
                // is let through and waits on the lock like the others. Wait until the drain shows on
                // an endpoint that never touches the database, then probe with a write.
                await("the drain to begin", Duration.ofSeconds(10), () -> draining(api));
                long deadline = terminatedAt + Duration.ofSeconds(10).toNanos();
                while (refusal == null && System.nanoTime() < deadline) {
                    // A write arriving during the drain must be refused before it reaches the database
                    // (were it let through, it would wait on the lock and no refusal would be seen).
                    Api.Reply probe = tryAdd(api, fresh, "DURING-DRAIN");
                    if (probe != null && probe.acknowledged()) {
                        throw new AssertionError("a request arriving during shutdown was served");
                    }
                    if (probe != null && probe.unavailable()) {
                        refusal = "503 " + probe.headers().map() + " " + probe.body();
                    } else if (probe == null) {
                        refusal = "connection refused";
                    } else {
                        PackagedService.pause(Duration.ofMillis(20));
                    }
                }
                assertTrue(refusal != null, "a request arriving during shutdown is refused");
                assertTrue(service.isAlive(), "the process waits for its requests in flight");
            }
            List<Api.Reply> completed = new ArrayList<>();
            for (CompletableFuture<Api.Reply> reply : inFlight) {
                completed.add(reply.get(30, TimeUnit.SECONDS));
            }
            assertTrue(service.awaitExit(Duration.ofSeconds(25)), "the process exits within the grace period");
            long exited = System.nanoTime() - terminatedAt;

            long stored = countLines(database, "IN-FLIGHT");
            long appliedDuringDrain = countLines(database, "DURING-DRAIN");
            long acknowledged = completed.stream().filter(Api.Reply::acknowledged).count();
            System.out.println("graceful-shutdown: completed=" + completed.stream().map(Api.Reply::status).toList()
                    + " refusal=" + refusal
                    + " exitCode=" + service.exitValue() + " exitedMs=" + exited / 1_000_000);
            Summary.print("Graceful shutdown (SIGTERM) with " + IN_FLIGHT + " writes in flight", IN_FLIGHT + 1,
                    acknowledged, acknowledged - Math.min(acknowledged, stored),
                    "exited " + Summary.seconds(exited) + " after SIGTERM (grace 20 s)",
                    "all " + IN_FLIGHT + " in-flight writes answered 200 after the drain; a new write during the drain: " + (refusal.startsWith("503") ? "503" : refusal));

            assertEquals(IN_FLIGHT, acknowledged, "every request in flight completes: " + completed);
            assertEquals(IN_FLIGHT, stored, "and is in the database");
            assertEquals(0, appliedDuringDrain, "a refused request changes nothing");
        }
    }

    @Test
    void theProcessExitsWithinTheGracePeriodWhenRequestsNeverFinish() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("grace");
                PackagedService service = PackagedService.start("shutdown-grace", database,
                        Map.of("QUARKUS_SHUTDOWN_TIMEOUT", "PT3S"))) {
            Api api = new Api(service);
            String key = Summary.openSessions(api, "grace", 1).get(0);
            long terminatedAt;
            boolean exited;
            CompletableFuture<Api.Reply> stuck;
            try (AutoCloseable lock = database.lockSessionTable()) {
                stuck = addAsync(api, key, "STUCK");
                await("a write waiting in the database", Duration.ofSeconds(20),
                        () -> database.statementsWaitingOnLocks() >= 1);
                service.terminate();
                terminatedAt = System.nanoTime();
                exited = service.awaitExit(Duration.ofSeconds(3 + 5));
            }
            long took = System.nanoTime() - terminatedAt;
            String answer;
            try {
                answer = Integer.toString(stuck.get(30, TimeUnit.SECONDS).status());
            } catch (java.util.concurrent.ExecutionException e) {
                answer = "connection closed";
            }
            System.out.println("shutdown-grace: exitedMs=" + took / 1_000_000 + " stuck request: " + answer);
            Summary.print("SIGTERM with a write stuck on a lock (grace period set to 3 s)", 1, 0, 0,
                    "exited " + Summary.seconds(took) + " after SIGTERM",
                    "the stuck write was cut off (" + answer + ") and not applied");
            assertTrue(exited, "the process exits once the grace period is over");
            assertFalse(answer.equals("200"), "the stuck write was not acknowledged");
            assertEquals(0, countLines(database, "STUCK"), "and not applied");
        }
    }

    static CompletableFuture<Api.Reply> addAsync(Api api, String key, String sku) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return api.send("POST", Api.session(key) + "/items",
                        "{\"sku\":\"" + sku + "\",\"name\":\"Item\",\"price\":2.50}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** One write, or null when the service did not answer (connection refused or closed). */
    /** Whether the process has begun to drain: its liveness probe, which needs no database, answers 503 or nothing. */
    static boolean draining(Api api) {
        try {
            return api.get("/q/health/live").status() == 503;
        } catch (Exception refused) {
            return true;
        }
    }

    static Api.Reply tryAdd(Api api, String key, String sku) {
        try {
            return api.send("POST", Api.session(key) + "/items",
                    "{\"sku\":\"" + sku + "\",\"name\":\"Item\",\"price\":2.50}");
        } catch (Exception e) {
            return null;
        }
    }

    static long countLines(FaultDatabase database, String sku) throws Exception {
        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement("""
                        SELECT coalesce(sum((i->>'quantity')::bigint), 0)
                          FROM session s, jsonb_array_elements(s.document->'items') i
                         WHERE s.store = 'demo' AND i->>'sku' = ?""")) {
            q.setString(1, sku);
            try (ResultSet rows = q.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
