package com.redfour.shopping.session.scan;

import com.redfour.shopping.session.store.SessionTable;
import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The cart scan: session.abandoned once per idle period, session.expired once before the purge removes
 * the session, one event however many scans race. The tests run the scan themselves (its timer is off
 * in tests) against the test clock; a scan reports every session of the database that is due, so each
 * test first reports whatever is due at its moment and then looks only at its own sessions.
 */
@QuarkusTest
class CartScanTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    CartScan scan;

    @Inject
    SessionTable table;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void anIdleCartIsReportedOnceThenAgainOnlyAfterAChangeAndANewIdlePeriod() {
        String key = createSession();
        add(key, "RKT-1", "19.99", 2);
        var before = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        String updatedAt = before.getString("updatedAt");

        clock.advance(Duration.ofMinutes(59));
        drain();
        assertThat(events(key)).isEmpty();

        clock.advance(Duration.ofMinutes(2)); // idle 61 minutes: past the threshold
        drain();
        List<JsonObject> events = events(key);
        assertThat(events).hasSize(1);
        JsonObject event = events.get(0);
        assertThat(event.getString("type")).isEqualTo("session.abandoned");
        assertThat(event.getString("store")).isEqualTo("demo");
        assertThat(event.getString("sessionKey")).isEqualTo(key);
        assertThat(event.getLong("version")).isEqualTo(2L);
        assertThat(event.getJsonObject("data").fieldNames()).containsExactlyInAnyOrder("idleSince", "itemCount", "total");
        assertThat(event.getJsonObject("data").getString("idleSince")).isEqualTo(updatedAt);
        assertThat(event.getJsonObject("data").getInteger("itemCount")).isEqualTo(2);
        assertThat(text(key, "data", "total")).isEqualTo("39.98");
        assertThat(event.getJsonObject("session").getMap()).containsOnlyKeys("status", "memberId", "currency", "itemCount",
                "subtotal", "discountTotal", "total");
        assertThat(text(key, "session", "status")).isEqualTo("open");
        assertThat(event.getJsonObject("session").getString("memberId")).isNull();
        assertThat(text(key, "session", "currency")).isEqualTo("USD");
        assertThat(text(key, "session", "itemCount")).isEqualTo("2");
        assertThat(text(key, "session", "subtotal")).isEqualTo("39.98");
        assertThat(text(key, "session", "discountTotal")).isEqualTo("0.00");
        assertThat(text(key, "session", "total")).isEqualTo("39.98");
        assertThat(Instant.parse(event.getString("at"))).isAfter(Instant.parse(updatedAt).plus(Duration.ofHours(1)));

        // Not a change: the version, the update time and the document stay as they were.
        api().get(session(key)).then().statusCode(200).header("ETag", "\"2\"")
                .body("version", equalTo(2)).body("updatedAt", equalTo(updatedAt))
                .body("logs.size()", equalTo(before.getList("logs").size()));

        clock.advance(Duration.ofHours(5));
        drain();
        assertThat(events(key)).hasSize(1);

        add(key, "RKT-2", "1.00", 1); // a change starts a new idle period
        clock.advance(Duration.ofMinutes(30));
        drain();
        assertThat(events(key)).hasSize(1);
        clock.advance(Duration.ofMinutes(31));
        drain();
        events = events(key);
        assertThat(events).extracting(e -> e.getString("type")).containsExactly("session.abandoned", "session.abandoned");
        assertThat(events.get(1).getLong("version")).isEqualTo(3L);
        assertThat(events.get(1).getJsonObject("data").getInteger("itemCount")).isEqualTo(3);
    }

    @Test
    void sessionsWithoutLinesAndClosedOnesAreNotAbandoned() {
        String empty = createSession();
        String emptied = createSession();
        add(emptied, "RKT-1", "5.00", 1);
        api().delete(session(emptied) + "/items/RKT-1").then().statusCode(200);
        String closed = createSession();
        add(closed, "RKT-1", "5.00", 1);
        api().body(Map.of("orderId", "ORDER-1")).post(session(closed) + "/close").then().statusCode(200);

        clock.advance(Duration.ofHours(2));
        drain();
        assertThat(events(empty)).isEmpty();
        assertThat(events(emptied)).isEmpty();
        assertThat(events(closed)).isEmpty();
    }

    @Test
    void twoScansRacingReportOnce() throws Exception {
        clock.advance(Duration.ofDays(3));
        drain(); // whatever else is due now is out of the way
        String key = createSession();
        add(key, "RKT-1", "3.00", 1);
        clock.advance(Duration.ofHours(2));

        // Two whole runs at once: the advisory lock lets one scan, the other finds nothing left or skips.
        var first = scan.run().subscribeAsCompletionStage();
        var second = scan.run().subscribeAsCompletionStage();
        CartScan.Result a = first.get(30, TimeUnit.SECONDS);
        CartScan.Result b = second.get(30, TimeUnit.SECONDS);
        assertThat(a.abandoned() + b.abandoned()).isEqualTo(1);
        assertThat(events(key)).hasSize(1);
    }

    @Test
    void theVersionGuardAloneKeepsRacingScansToOneEvent() throws Exception {
        clock.advance(Duration.ofDays(6));
        drain();
        String key = createSession();
        add(key, "RKT-1", "3.00", 1);
        clock.advance(Duration.ofHours(2));
        Instant now = clock.instant();

        // Without the lock: scan A marks the session and holds its row; scan B, reading before A commits,
        // finds it a candidate, waits on A's row lock, and once A commits finds it reported at that version.
        SqlConnection a = pool.getConnection().await().atMost(WAIT);
        SqlConnection b = pool.getConnection().await().atMost(WAIT);
        try {
            int pidB = b.query("SELECT pg_backend_pid()").execute().await().atMost(WAIT).iterator().next().getInteger(0);
            Transaction txA = a.begin().await().atMost(WAIT);
            int byA = scan.reportAbandoned(a, now).flatMap(events -> ScanEvents.insert(a, events)).await().atMost(WAIT);
            Transaction txB = b.begin().await().atMost(WAIT);
            CompletableFuture<Integer> byB = scan.reportAbandoned(b, now).flatMap(events -> ScanEvents.insert(b, events))
                    .subscribeAsCompletionStage();
            awaitLockWait(pidB);
            txA.commit().await().atMost(WAIT);
            assertThat(byB.get(30, TimeUnit.SECONDS)).isZero();
            txB.commit().await().atMost(WAIT);
            assertThat(byA).isEqualTo(1);
        } finally {
            a.close().await().atMost(WAIT);
            b.close().await().atMost(WAIT);
        }
        assertThat(events(key)).hasSize(1);
    }

    @Test
    void aChangeCommittingWhileTheScanRunsWinsAndNoEventIsRecorded() throws Exception {
        clock.advance(Duration.ofDays(9));
        drain();
        String key = createSession();
        add(key, "RKT-1", "3.00", 1);
        clock.advance(Duration.ofHours(2));

        // A change in flight holds the row (as the write pipeline's guarded UPDATE does) when the scan reads
        // version 2; the scan's mark waits for it, and once the change commits version 3 the mark's guard fails.
        SqlConnection change = pool.getConnection().await().atMost(WAIT);
        try {
            Transaction tx = change.begin().await().atMost(WAIT);
            change.preparedQuery("UPDATE session SET version = version + 1, updated_at = $2 WHERE store = 'demo' AND key = $1")
                    .execute(Tuple.of(key, SessionTable.utc(clock.instant()))).await().atMost(WAIT);
            CompletableFuture<CartScan.Result> racing = scan.run().subscribeAsCompletionStage();
            awaitLockWait(null);
            tx.commit().await().atMost(WAIT);
            assertThat(racing.get(30, TimeUnit.SECONDS).abandoned()).isZero();
        } finally {
            change.close().await().atMost(WAIT);
        }
        assertThat(events(key)).isEmpty();
        api().get(session(key)).then().statusCode(200).body("version", equalTo(3));
    }

    @Test
    void anExpiredCartIsReportedOnceAndOnlyThenPurged() {
        String key = createSession();
        add(key, "RKT-1", "7.50", 2);
        String updatedAt = api().get(session(key)).then().extract().path("updatedAt");
        String expiresAt = api().get(session(key)).then().extract().path("expiresAt");
        String emptyKey = createSession();

        clock.advance(Duration.ofDays(30).plusMinutes(1));
        api().get(session(key)).then().statusCode(410);
        purge(); // not yet reported: kept
        assertThat(stored(key)).isTrue();
        assertThat(stored(emptyKey)).isFalse(); // nothing to report: purged as before

        drain();
        List<JsonObject> events = events(key);
        assertThat(events).extracting(e -> e.getString("type")).containsExactly("session.expired");
        assertThat(events.get(0).getLong("version")).isEqualTo(2L);
        assertThat(events.get(0).getJsonObject("data").fieldNames())
                .containsExactlyInAnyOrder("expiredAt", "idleSince", "itemCount", "total");
        assertThat(text(key, "data", "expiredAt")).isEqualTo(expiresAt);
        assertThat(text(key, "data", "idleSince")).isEqualTo(updatedAt);
        assertThat(text(key, "data", "itemCount")).isEqualTo("2");
        assertThat(text(key, "data", "total")).isEqualTo("15.00");
        purge();
        assertThat(stored(key)).isFalse();
        drain();
        assertThat(events(key)).hasSize(1);
    }

    @Test
    void anUnreportedExpiredCartIsPurgedAfterTheGracePeriod() {
        String key = createSession();
        add(key, "RKT-1", "7.50", 1);
        clock.advance(Duration.ofDays(31).plusMinutes(1)); // expired a day and a minute ago, never scanned
        purge();
        assertThat(stored(key)).isFalse();
        assertThat(events(key)).isEmpty();
    }

    @Test
    void aDeletedSessionIsNotReportedExpired() {
        String key = createSession();
        add(key, "RKT-1", "7.50", 1);
        api().delete(session(key)).then().statusCode(204);
        clock.advance(Duration.ofHours(2));
        drain();
        assertThat(events(key)).isEmpty();
    }

    @Test
    void thePurgeDeletesEventsPastTheRetentionInBatchesAndKeepsRecentOnes() {
        Instant now = clock.instant();
        String store = "retention-" + Long.toHexString(System.nanoTime());
        for (int i = 1; i <= 7; i++) {
            Instant at = i <= 5 ? now.minus(Duration.ofDays(8)) : now.minus(Duration.ofDays(6));
            pool.preparedQuery("INSERT INTO session_event (store, id, session_key, version, type, at, payload)"
                            + " VALUES ($1, $2, 'k', 1, 'session.touched', $3, '{}')")
                    .execute(Tuple.of(store, (long) i, SessionTable.utc(at))).await().atMost(WAIT);
        }
        SessionPurge.Result result = new SessionPurge(table, pool, clock, 2, Duration.ofDays(7), Duration.ofDays(1))
                .purge().await().atMost(WAIT);
        assertThat(result.eventsDeleted()).isGreaterThanOrEqualTo(5);
        assertThat(result.eventBatches()).isGreaterThanOrEqualTo(3);
        List<Long> left = new ArrayList<>();
        pool.preparedQuery("SELECT id FROM session_event WHERE store = $1 ORDER BY id").execute(Tuple.of(store))
                .await().atMost(WAIT).forEach(row -> left.add(row.getLong(0)));
        assertThat(left).containsExactly(6L, 7L);
    }

    /** Runs the scan until nothing is left to report at the clock's present moment. */
    private void drain() {
        CartScan.Result result;
        do {
            result = scan.run().await().atMost(WAIT);
            assertThat(result.ran()).isTrue();
        } while (result.abandoned() + result.expired() > 0);
    }

    private void purge() {
        new SessionPurge(table, pool, clock, 1000, Duration.ofDays(7), Duration.ofDays(1)).purge().await().atMost(WAIT);
    }

    private List<JsonObject> events(String key) {
        List<JsonObject> events = new ArrayList<>();
        pool.preparedQuery("SELECT payload, type, version FROM session_event WHERE store = 'demo' AND session_key = $1"
                + " AND type IN ('session.abandoned', 'session.expired') ORDER BY id")
                .execute(Tuple.of(key)).await().atMost(WAIT)
                .forEach(row -> {
                    JsonObject payload = (JsonObject) row.getValue(0);
                    assertThat(payload.getString("type")).isEqualTo(row.getString(1));
                    assertThat(payload.getLong("version")).isEqualTo(row.getLong(2));
                    events.add(payload);
                });
        return events;
    }

    /** A field of the session's latest scan event as stored (money keeps its two decimals there). */
    private String text(String key, String object, String field) {
        return pool.preparedQuery("SELECT payload -> $2 ->> $3 FROM session_event WHERE store = 'demo' AND session_key = $1"
                        + " AND type IN ('session.abandoned', 'session.expired') ORDER BY id DESC LIMIT 1")
                .execute(Tuple.of(key, object, field)).await().atMost(WAIT).iterator().next().getString(0);
    }

    private boolean stored(String key) {
        return pool.preparedQuery("SELECT count(*) FROM session WHERE store = 'demo' AND key = $1").execute(Tuple.of(key))
                .await().atMost(WAIT).iterator().next().getLong(0) == 1;
    }

    /** Waits (bounded) until the backend {@code pid} (any of this database's, if null) waits for a lock. */
    private void awaitLockWait(Integer pid) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            long waiting = pool.preparedQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND datname = current_database() AND ($1::int IS NULL OR pid = $1)")
                    .execute(Tuple.of(pid)).await().atMost(WAIT).iterator().next().getLong(0);
            if (waiting > 0) {
                return;
            }
        }
        throw new AssertionError("scan B never waited for scan A's row lock");
    }
}
