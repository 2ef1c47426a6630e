package com.redfour.shopping.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbox trap: ids handed out in one order and committed in another let a pager that has moved
 * past an id miss an event that commits later below it. Here writers on two packaged replicas change
 * sessions concurrently while a pager follows {@code GET /events?after=} through both replicas; when
 * the writers are done and the pager has caught up, what it saw must be exactly what the table holds,
 * in the same order, each event once. To make the trap certain rather than a matter of luck, one
 * change is held open between its write and its commit (a replica that stalls there) for the whole
 * run: every event written meanwhile gets a higher id and commits first.
 */
class EventPagingIT {

    private static final String ITEM = "{\"sku\":\"SKU-%d\",\"name\":\"Item\",\"price\":1.00,\"quantity\":1}";
    private static final int WRITERS = 8;
    private static final int CHANGES_PER_WRITER = 150;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aPagerNeverSkipsAnEventWrittenConcurrentlyOnTwoReplicas() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("paging");
                // streams look for events only when signalled: what reaches a stream on B came by NOTIFY
                PackagedService a = PackagedService.start("paging-a", database, Map.of("REDFOUR_EVENTS_STREAM_POLL", "PT1H"));
                PackagedService b = PackagedService.start("paging-b", database, Map.of("REDFOUR_EVENTS_STREAM_POLL", "PT1H"))) {
            List<Api> replicas = List.of(new Api(a), new Api(b));
            List<String> sessions = Summary.openSessions(replicas.get(0), "paging", 16);
            String stalled = Summary.openSessions(replicas.get(0), "stalled", 1).get(0);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS + 1);
            AtomicBoolean writing = new AtomicBoolean(true);
            try (Connection held = database.connect()) {
                held.setAutoCommit(false);
                try (Statement s = held.createStatement()) {
                    // the same two writes as the service's change statement, left uncommitted
                    s.executeUpdate("UPDATE session SET version = 2 WHERE store = 'demo' AND key = '" + stalled + "'");
                    s.executeUpdate("INSERT INTO session_event (store, id, session_key, version, type, at, payload)"
                            + " SELECT 'demo', pg_current_xact_id()::text::bigint * 1000, '" + stalled + "', 2,"
                            + " 'activity.recorded', now(), '{\"type\":\"activity.recorded\",\"store\":\"demo\"}'");
                }
                Future<List<String>> pager = pool.submit(() -> page(replicas, writing));
                List<Future<Integer>> writers = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    int writer = w;
                    writers.add(pool.submit(() -> {
                        int written = 0;
                        for (int i = 0; i < CHANGES_PER_WRITER; i++) {
                            // many sessions (parallel transactions) and a few hot ones (retries), both replicas
                            String key = sessions.get((writer * 7 + i) % sessions.size());
                            Api.Reply reply = replicas.get((writer + i) % 2)
                                    .send("POST", Api.session(key) + "/items", ITEM.formatted(i % 5));
                            assertEquals(200, reply.status(), reply.body());
                            written++;
                        }
                        return written;
                    }));
                }
                int changes = 0;
                for (Future<Integer> writer : writers) {
                    changes += writer.get();
                }
                held.commit(); // the stalled change commits last, with the lowest id of the run
                writing.set(false);
                List<String> seen = pager.get();

                List<String> table = new ArrayList<>();
                try (Connection c = database.connect(); Statement s = c.createStatement();
                        ResultSet rows = s.executeQuery("SELECT id FROM session_event WHERE store = 'demo' ORDER BY id")) {
                    while (rows.next()) {
                        table.add(String.format("%020d", rows.getLong(1)));
                    }
                }
                assertEquals(17 + changes + 1, table.size(), "one event per create and per change");
                assertEquals(table.size(), seen.size(), "the pager saw as many events as the table holds");
                assertEquals(table, seen, "the pager saw exactly the table's events, in id order, each once");

                aChangeOnOneReplicaReachesAStreamOnTheOther(a, replicas.get(0), sessions.get(0), b, table.get(table.size() - 1));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    private void aChangeOnOneReplicaReachesAStreamOnTheOther(PackagedService a, Api writer, String key,
            PackagedService b, String lastId) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = client.send(HttpRequest.newBuilder(b.uri("/v1/stores/demo/events"))
                        .header("Authorization", "Bearer " + PackagedService.API_KEY)
                        .header("Accept", "text/event-stream").header("Last-Event-ID", lastId).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        Thread reader = new Thread(() -> stream.body().forEach(lines::add), "stream-on-b");
        reader.start();
        try {
            long began = System.nanoTime();
            assertEquals(200, writer.send("POST", Api.session(key) + "/logs", "{\"entry\":\"across replicas\"}").status());
            long deadline = began + TimeUnit.SECONDS.toNanos(10);
            String line;
            do {
                line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } while (line != null && !line.startsWith("event:"));
            assertEquals("event:activity.recorded", line, "the change written on A reached the stream on B");
            System.out.printf("EventPagingIT: written on A, streamed on B after %d ms (NOTIFY; stream polling off)%n",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
        } finally {
            stream.body().close();
            reader.interrupt();
        }
    }

    /** Pages through both replicas in turn until the writers are done and a page comes back empty. */
    private List<String> page(List<Api> replicas, AtomicBoolean writing) throws Exception {
        List<String> seen = new ArrayList<>();
        String after = null;
        int turn = 0;
        while (true) {
            boolean lastRound = !writing.get();
            Api.Reply reply = replicas.get(turn++ % 2).get("/v1/stores/demo/events?limit=37"
                    + (after == null ? "" : "&after=" + after));
            assertEquals(200, reply.status(), reply.body());
            JsonNode page = json.readTree(reply.body());
            for (JsonNode event : page.path("events")) {
                String id = event.path("id").asText();
                assertTrue(after == null || id.compareTo(after) > 0, "ids increase: " + id + " after " + after);
                seen.add(id);
            }
            after = page.path("next").asText();
            if (lastRound && page.path("events").isEmpty()) {
                return seen;
            }
        }
    }
}
