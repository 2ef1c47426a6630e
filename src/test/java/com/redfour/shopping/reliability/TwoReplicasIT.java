package com.redfour.shopping.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static com.redfour.shopping.reliability.WriteLoad.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two packaged replicas on one database, requests for one session landing on either: no add is
 * lost, an {@code Idempotency-Key} is applied once across both, and a sign-in merge on one replica
 * is atomic against adds racing to both sessions on the other; of two restores of one recovery link
 * racing on the two replicas exactly one wins (or both are the same restore, replayed); the store's insights
 * count every session's history exactly once while writes race on both replicas and both fold. Each replica's lane sees only its
 * own requests; the version check is all that stands between them.
 */
class TwoReplicasIT {

    private static final String ITEM = "{\"sku\":\"%s\",\"name\":\"Item\",\"price\":1.00,\"quantity\":1}";
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void oneSessionServedByTwoReplicas() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("replicas");
                // both replicas fold the insights often, racing each other, the writes and the reads
                PackagedService a = PackagedService.start("replica-a", database, Map.of("REDFOUR_INSIGHTS_FOLD_INTERVAL", "0.2s"));
                PackagedService b = PackagedService.start("replica-b", database, Map.of("REDFOUR_INSIGHTS_FOLD_INTERVAL", "0.2s"))) {
            List<Api> replicas = List.of(new Api(a), new Api(b));
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                insightsAreExactUnderConcurrentWritesAndFolds(replicas, pool);
                noAddIsLost(replicas, pool);
                aKeyIsAppliedOnceAcrossReplicas(replicas, pool);
                aMergeIsAtomicAgainstAddsOnTheOtherReplica(replicas, pool);
                aRecoveryLinkIsRestoredOnceAcrossReplicas(replicas, pool);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * 40 sessions from 4 sources, each created through one replica and changed through both at once: adds
     * racing one another (the first one makes the session one "with items"), a return visit from another
     * source racing them, and for every third session a close once its adds are in. Meanwhile a reader
     * never sees a count go back, and in the end every figure is what the histories say.
     */
    private void insightsAreExactUnderConcurrentWritesAndFolds(List<Api> replicas, ExecutorService pool) throws Exception {
        int n = 40;
        List<String> keys = new ArrayList<>();
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = newKey("insights-" + i);
            keys.add(key);
            String body = "{\"landing\":\"/p?utm_source=src-" + (i % 4) + "\"}";
            Api api = replicas.get(i % 2);
            creates.add(() -> api.send("PUT", Api.session(key), body).status());
        }
        for (Future<Integer> status : pool.invokeAll(creates)) {
            assertEquals(201, status.get());
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        Future<Integer> reader = pool.submit(() -> {
            long sessions = 0;
            long withItems = 0;
            int reads = 0;
            while (writing.get()) {
                JsonNode totals = insights(replicas.get(reads % 2), "by=none").path("totals");
                assertTrue(totals.path("sessions").asLong() >= sessions && totals.path("withItems").asLong() >= withItems,
                        "a count went back: " + totals);
                sessions = totals.path("sessions").asLong();
                withItems = totals.path("withItems").asLong();
                reads++;
            }
            return reads;
        });
        List<Callable<Integer>> histories = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String key = keys.get(i);
            int adds = 1 + i % 3;
            boolean closes = i % 3 == 0;
            int index = i;
            histories.add(() -> {
                List<Callable<Integer>> racing = new ArrayList<>();
                for (int k = 0; k < adds; k++) {
                    Api api = replicas.get(k % 2);
                    String sku = "INS-" + k;
                    racing.add(() -> api.send("POST", Api.session(key) + "/items", ITEM.formatted(sku)).status());
                }
                if (index % 5 == 0) {
                    racing.add(() -> replicas.get(1).send("POST", Api.session(key) + "/touches",
                            "{\"landing\":\"/back?utm_source=returning\"}").status());
                }
                for (Future<Integer> status : pool.invokeAll(racing)) {
                    assertEquals(200, status.get(), key);
                }
                return closes ? replicas.get(index % 2).send("POST", Api.session(key) + "/close", "{}").status() : 200;
            });
        }
        ExecutorService outer = Executors.newFixedThreadPool(8);
        try {
            for (Future<Integer> status : outer.invokeAll(histories)) {
                assertEquals(200, status.get());
            }
        } finally {
            outer.shutdownNow();
        }
        writing.set(false);
        assertTrue(reader.get() > 0, "the reader read");

        // the histories: session i has 1 + i % 3 lines of 1.00 and converts when i % 3 == 0 (revenue 1.00 each);
        // its first touch is src-(i % 4), its last "returning" when i % 5 == 0
        JsonNode bySource = insights(replicas.get(0), "by=source&limit=500");
        for (int src = 0; src < 4; src++) {
            int sessions = 0;
            int converted = 0;
            for (int i = src; i < n; i += 4) {
                sessions++;
                converted += i % 3 == 0 ? 1 : 0;
            }
            JsonNode row = rowOf(bySource, "src-" + src);
            assertEquals(sessions, row.path("sessions").asInt(), row.toString());
            assertEquals(sessions, row.path("withItems").asInt(), row.toString());
            assertEquals(converted, row.path("converted").asInt(), row.toString());
            assertEquals(0, new java.math.BigDecimal(converted).compareTo(row.path("revenue").path("USD").decimalValue()), row.toString());
        }
        JsonNode byLast = insights(replicas.get(1), "by=source&touch=last&limit=500");
        assertEquals(8, rowOf(byLast, "returning").path("sessions").asInt(), byLast.toString());
        assertEquals(n, insights(replicas.get(1), "by=none").path("totals").path("sessions").asInt());
    }

    private JsonNode insights(Api api, String query) throws Exception {
        Api.Reply reply = api.get("/v1/stores/demo/insights?" + query);
        assertEquals(200, reply.status(), reply.body());
        return json.readTree(reply.body());
    }

    private static JsonNode rowOf(JsonNode insights, String key) {
        for (JsonNode row : insights.path("rows")) {
            if (row.path("key").asText().equals(key)) {
                return row;
            }
        }
        throw new AssertionError("no row " + key + " in " + insights);
    }

    private void noAddIsLost(List<Api> replicas, ExecutorService pool) throws Exception {
        String key = Summary.openSessions(replicas.get(0), "replicas", 1).get(0);
        List<Callable<Integer>> adds = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Api api = replicas.get(i % 2);
            adds.add(() -> api.send("POST", Api.session(key) + "/items", ITEM.formatted("HOT")).status());
        }
        for (Future<Integer> status : pool.invokeAll(adds)) {
            assertEquals(200, status.get(), "every add is acknowledged (retries absorb the races)");
        }
        JsonNode session = read(replicas.get(1), key);
        assertEquals(200, session.path("items").get(0).path("quantity").asInt(), "200 adds through two replicas");
        assertEquals(201, session.path("version").asLong(), "one version per add");
    }

    private void aKeyIsAppliedOnceAcrossReplicas(List<Api> replicas, ExecutorService pool) throws Exception {
        String key = Summary.openSessions(replicas.get(0), "replicas", 1).get(0);
        List<Callable<Api.Reply>> repeats = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Api api = replicas.get(i % 2);
            repeats.add(() -> api.send("POST", Api.session(key) + "/items", ITEM.formatted("ONCE"),
                    Map.of("Idempotency-Key", "across-replicas-1")));
        }
        int replayed = 0;
        for (Future<Api.Reply> reply : pool.invokeAll(repeats)) {
            assertEquals(200, reply.get().status(), reply.get().body());
            replayed += reply.get().headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
        }
        JsonNode session = read(replicas.get(0), key);
        assertEquals(1, session.path("items").get(0).path("quantity").asInt(), "applied once");
        assertEquals(2, session.path("version").asLong(), "one write");
        assertEquals(19, replayed, "every other request is a replay");
    }

    private void aMergeIsAtomicAgainstAddsOnTheOtherReplica(List<Api> replicas, ExecutorService pool) throws Exception {
        Api merging = replicas.get(0);
        Api adding = replicas.get(1);
        List<String> keys = Summary.openSessions(merging, "replicas", 2);
        String source = keys.get(0);
        String target = keys.get(1);
        assertEquals(200, adding.send("PUT", Api.session(source) + "/member", "{\"memberId\":\"racer\"}").status());

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong toSource = new AtomicLong();
        AtomicLong toTarget = new AtomicLong();
        AtomicLong refusedAsMerged = new AtomicLong();
        List<Future<String>> writers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            boolean intoSource = i % 2 == 0;
            writers.add(pool.submit(() -> {
                // spread over 20 lines a session, so that no line reaches its quantity limit
                for (int n = 0; running.get(); n++) {
                    Api.Reply reply = adding.send("POST", Api.session(intoSource ? source : target) + "/items",
                            ITEM.formatted((intoSource ? "FROM-SOURCE-" : "FROM-TARGET-") + (n % 20)));
                    if (reply.status() == 200) {
                        (intoSource ? toSource : toTarget).incrementAndGet();
                    } else if (intoSource && reply.status() == 409 && reply.body().contains("/problems/session-closed")) {
                        refusedAsMerged.incrementAndGet();
                    } else {
                        return reply.status() + " " + reply.body();
                    }
                }
                return "ok";
            }));
        }
        await("adds to both sessions", Duration.ofSeconds(60), () -> toSource.get() >= 20 && toTarget.get() >= 20);
        Api.Reply merged = merging.send("PUT", Api.session(target) + "/member", "{\"memberId\":\"racer\",\"merge\":true}");
        // against writers this busy the merge may run out of attempts; a client tries again (Retry-After)
        for (int i = 0; i < 20 && merged.status() == 409 && merged.body().contains("/problems/version-conflict"); i++) {
            merged = merging.send("PUT", Api.session(target) + "/member", "{\"memberId\":\"racer\",\"merge\":true}");
        }
        await("adds refused by the merged session", Duration.ofSeconds(60), () -> refusedAsMerged.get() >= 5);
        running.set(false);
        for (Future<String> writer : writers) {
            assertEquals("ok", writer.get(), "adds are acknowledged, or refused because the source was merged");
        }

        assertEquals(200, merged.status(), merged.body());
        JsonNode sourceNow = read(adding, source);
        JsonNode targetNow = read(adding, target);
        assertEquals("merged", sourceNow.path("status").asText());
        assertEquals(toSource.get(), quantity(sourceNow, "FROM-SOURCE-"), "every add the source acknowledged is in it");
        assertEquals(toSource.get(), quantity(targetNow, "FROM-SOURCE-"), "and was merged into the target: none lost, none twice");
        assertEquals(toTarget.get(), quantity(targetNow, "FROM-TARGET-"), "every add the target acknowledged is in it");
        assertTrue(targetNow.path("memberId").asText().equals("racer"));
    }

    private void aRecoveryLinkIsRestoredOnceAcrossReplicas(List<Api> replicas, ExecutorService pool) throws Exception {
        for (int round = 0; round < 10; round++) {
            String token = recoveryLink(replicas, "race-" + round);
            List<String> intos = List.of(newKey("into-a-" + round), newKey("into-b-" + round));
            List<Callable<Api.Reply>> restores = List.of(
                    () -> replicas.get(0).send("POST", "/v1/stores/demo/recovery/" + token + "/restore", "{\"into\":\"" + intos.get(0) + "\"}"),
                    () -> replicas.get(1).send("POST", "/v1/stores/demo/recovery/" + token + "/restore", "{\"into\":\"" + intos.get(1) + "\"}"));
            List<Api.Reply> replies = new ArrayList<>();
            for (Future<Api.Reply> reply : pool.invokeAll(restores)) {
                replies.add(reply.get());
            }
            int winner = replies.get(0).status() == 200 ? 0 : 1;
            assertEquals(200, replies.get(winner).status(), replies.get(winner).body());
            assertEquals(410, replies.get(1 - winner).status(), "round " + round + ": " + replies.get(1 - winner).body());
            assertTrue(replies.get(1 - winner).body().contains("/problems/recovery-link-used"), replies.get(1 - winner).body());
            assertEquals(1, read(replicas.get(1 - winner), intos.get(winner)).path("items").get(0).path("quantity").asInt());
            assertEquals(404, replicas.get(winner).get(Api.session(intos.get(1 - winner))).status(), "the loser created nothing");
        }
        for (int round = 0; round < 5; round++) {
            String token = recoveryLink(replicas, "replay-" + round);
            String into = newKey("into-same-" + round);
            List<Callable<Api.Reply>> restores = new ArrayList<>();
            for (Api api : replicas) {
                restores.add(() -> api.send("POST", "/v1/stores/demo/recovery/" + token + "/restore", "{\"into\":\"" + into + "\"}",
                        Map.of("Idempotency-Key", "restore-" + token)));
            }
            int replayed = 0;
            for (Future<Api.Reply> reply : pool.invokeAll(restores)) {
                assertEquals(200, reply.get().status(), reply.get().body());
                replayed += reply.get().headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
            }
            assertEquals(1, replayed, "one restore, and its replay");
            JsonNode restored = read(replicas.get(0), into);
            assertEquals(2, restored.path("version").asLong(), "created and restored once");
            assertEquals(1, restored.path("items").get(0).path("quantity").asInt());
        }
    }

    /** A session with one line made through one replica, and a recovery link to it made through the other. */
    private String recoveryLink(List<Api> replicas, String name) throws Exception {
        String key = newKey(name);
        assertEquals(201, replicas.get(0).send("PUT", Api.session(key), "{}").status());
        assertEquals(200, replicas.get(0).send("POST", Api.session(key) + "/items", ITEM.formatted("LOST")).status());
        Api.Reply link = replicas.get(1).send("POST", Api.session(key) + "/recovery-links", "{}");
        assertEquals(201, link.status(), link.body());
        return json.readTree(link.body()).path("token").asText();
    }

    private static String newKey(String name) {
        return name + "-" + java.util.UUID.randomUUID().toString().replace("-", "");
    }

    private JsonNode read(Api api, String key) throws Exception {
        Api.Reply reply = api.get(Api.session(key));
        assertEquals(200, reply.status(), reply.body());
        return json.readTree(reply.body());
    }

    /** The quantity of every line whose sku starts with {@code prefix}. */
    private static long quantity(JsonNode session, String prefix) {
        long total = 0;
        for (JsonNode item : session.path("items")) {
            if (item.path("sku").asText().startsWith(prefix)) {
                total += item.path("quantity").asLong();
            }
        }
        return total;
    }
}
