package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log kept in its own table (V6, issue 14): a change appends its entries and rewrites no other;
 * every answer still shows the newest 200 entries, oldest first, exactly as the contract says, and
 * the table holds no more of a session than that view needs.
 */
@QuarkusTest
class SessionLogTableTest {

    @Inject
    Pool pool;

    @Test
    void theNewest200EntriesAreShownAndOlderChunksAreRemoved() {
        String key = createSession();
        JsonPath last = null;
        for (int i = 1; i <= 250; i++) {
            last = api().body(Map.of("entry", "step " + i)).post(session(key) + "/logs").then().statusCode(200)
                    .extract().jsonPath();
        }
        List<String> expected = IntStream.rangeClosed(51, 250).mapToObj(i -> "step " + i).toList();
        assertThat(last.getList("logs.entry", String.class)).containsExactlyElementsOf(expected);
        JsonPath read = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        assertThat(read.getList("logs.entry", String.class)).containsExactlyElementsOf(expected);
        assertThat(read.getList("logs")).isEqualTo(last.getList("logs")); // the answer to the change and the read agree
        // 251 entries written (with "Session created"), numbered 0..250: the view starts at entry 51, in
        // chunk 2; chunks 0 and 1 were removed when chunk 12 was begun
        assertThat(chunks(key)).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void entriesAreStoredOnceAsTheirJsonAndReadBackAsWritten() {
        String key = createSession();
        String awkward = "quote \" backslash \\ comma-brace ,{\"at\":\"x\"} tab \t unicode \u00e9\u20ac line\nend";
        api().body(Map.of("entry", awkward)).post(session(key) + "/logs").then().statusCode(200);
        for (int i = 0; i < 199; i++) { // pushes "Session created" out, keeps the awkward one first in view
            api().body(Map.of("entry", "filler " + i)).post(session(key) + "/logs").then().statusCode(200);
        }
        List<String> entries = api().get(session(key)).then().statusCode(200).extract().jsonPath().getList("logs.entry", String.class);
        assertThat(entries).hasSize(200);
        assertThat(entries.get(0)).isEqualTo(awkward);
        assertThat(entries.get(199)).isEqualTo("filler 198");
        String stored = pool.preparedQuery("SELECT entries FROM session_log WHERE store = 'demo' AND key = $1 AND chunk = 0")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        assertThat(stored).startsWith("{\"at\":\"").contains("\"entry\":\"Session created\"}");
    }

    @Test
    void aSessionCreatedAgainUnderItsKeyStartsAFreshLog() {
        String key = createSession();
        for (int i = 0; i < 30; i++) {
            api().body(Map.of("entry", "first life " + i)).post(session(key) + "/logs").then().statusCode(200);
        }
        api().delete(session(key)).then().statusCode(204);
        api().put(session(key)).then().statusCode(201);
        assertThat(api().get(session(key)).then().statusCode(200).extract().jsonPath().getList("logs.entry", String.class))
                .containsExactly("Session created");
        // 31 entries in the first life (0..30, chunks 0 and 1); the second begins at 40, chunk 2, and
        // its first write removed the first life's chunks
        assertThat(chunks(key)).containsExactly(2);
        assertThat(logColumns(key)).containsExactly(40, 41);
    }

    @Test
    void concurrentChangesEachLogOnceInOrderOfTheirVersions() throws Exception {
        String key = createSession();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<CompletableFuture<Integer>> adds = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                adds.add(CompletableFuture.supplyAsync(() -> api().body(Map.of("entry", "c" + n))
                        .post(session(key) + "/logs").then().extract().statusCode(), pool));
            }
            for (CompletableFuture<Integer> add : adds) {
                assertThat(add.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }
        JsonPath read = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        List<String> entries = read.getList("logs.entry", String.class);
        assertThat(read.getInt("version")).isEqualTo(65);
        assertThat(entries).hasSize(65).startsWith("Session created")
                .containsAll(IntStream.range(0, 64).mapToObj(i -> "c" + i).toList()).doesNotHaveDuplicates();
        assertThat(logColumns(key)).containsExactly(0, 65);
    }

    @Test
    void aLogStillInAnOlderDocumentIsShownAndMovedByTheNextChange() {
        String key = newKey();
        Instant created = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS);
        String document = """
                {"currency":"USD","landing":"/","referrer":null,"ip":"203.0.113.9","items":[],"discounts":[],
                 "logs":[{"at":AT,"entry":"Session created"},{"at":AT,"entry":"Looked at rockets"}]}"""
                .replace("AT", Long.toString(created.toEpochMilli()));
        pool.preparedQuery("INSERT INTO session (store, key, version, status, member_id, created_at, updated_at, expires_at,"
                        + " document, applied_keys) VALUES ('demo', $1, 2, 'open', null, $2, $2, $3, $4::text::jsonb, '[]')")
                .execute(Tuple.of(key, created.atOffset(ZoneOffset.UTC), created.plus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC),
                        document))
                .await().atMost(Duration.ofSeconds(10));

        assertThat(api().get(session(key)).then().statusCode(200).extract().jsonPath().getList("logs.entry", String.class))
                .containsExactly("Session created", "Looked at rockets");
        api().body(Map.of("entry", "Came back")).post(session(key) + "/logs").then().statusCode(200);

        JsonPath read = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        assertThat(read.getList("logs.entry", String.class)).containsExactly("Session created", "Looked at rockets", "Came back");
        assertThat(read.getString("logs[0].at")).isEqualTo(SessionView.timestamp(created));
        assertThat(logColumns(key)).containsExactly(0, 3);
        String stored = pool.preparedQuery("SELECT document::text FROM session WHERE store = 'demo' AND key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
        assertThat(stored).doesNotContain("\"logs\"");
    }

    private List<Integer> chunks(String key) {
        List<Integer> chunks = new ArrayList<>();
        pool.preparedQuery("SELECT chunk FROM session_log WHERE store = 'demo' AND key = $1 ORDER BY chunk")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).forEach(row -> chunks.add(row.getInteger(0)));
        return chunks;
    }

    private List<Integer> logColumns(String key) {
        var row = pool.preparedQuery("SELECT log_start, log_next FROM session WHERE store = 'demo' AND key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).iterator().next();
        return List.of(row.getInteger(0), row.getInteger(1));
    }
}
