package com.redfour.shopping.session.scan;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.StoredSessions;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SessionTable;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The purge against the real database, without HTTP: only expired sessions go, in batches, with their logs. */
@QuarkusTest
class SessionPurgeTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Arrival ARRIVAL = new Arrival("/", null, "203.0.113.9", "USD");

    @Inject
    SessionTable table;

    @Inject
    Pool pool;

    /** A stretch of time no other test's sessions reach. */
    private final Instant t0 = Instant.now().plus(Duration.ofDays(1000)).truncatedTo(ChronoUnit.MILLIS);

    @Test
    void thePurgeDeletesOnlyExpiredSessionsInBatches() {
        Clock later = Clock.fixed(t0.plus(Duration.ofDays(35)), ZoneOffset.UTC);
        SessionPurge purge = new SessionPurge(table, pool, later, 2, Duration.ofDays(7), Duration.ofDays(1));
        purge.purge().await().atMost(WAIT); // what other tests left, all expired by then
        List<SessionId> old = IntStream.range(0, 5).mapToObj(i -> created(t0, false)).toList();
        SessionId young = created(t0.plus(Duration.ofDays(20)), true); // not empty: it lives the full 30 days
        List<SessionId> all = new ArrayList<>(old);
        all.add(young);
        assertThat(count("session", all)).isEqualTo(6);

        // later, the old ones are 35 days old and the young one 15
        SessionPurge.Result result = purge.purge().await().atMost(WAIT);

        assertThat(result.deleted()).isEqualTo(5);
        assertThat(result.batches()).as("2 + 2 + 1").isEqualTo(3);
        assertThat(count("session", all)).isEqualTo(1);
        assertThat(count("session_log", old)).isZero(); // a purged session's log goes with it
        assertThat(count("session_log", List.of(young))).isEqualTo(1);
        assertThat(table.load(young, later.instant()).await().atMost(WAIT)).isInstanceOf(Row.Live.class);
    }

    private SessionId created(Instant at, boolean withLine) {
        SessionId id = new SessionId("demo", "purge-" + UUID.randomUUID().toString().replace("-", ""));
        Session session = Session.create(id, ARRIVAL, null, at);
        if (withLine) {
            session = new Change.SelectItem("RKT-1", "Falcon", new BigDecimal("1.00"), 1).applyTo(session, at);
        }
        StoredSessions.insert(table, session, at);
        return id;
    }

    private long count(String table, List<SessionId> ids) {
        return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE store = 'demo' AND key = ANY($1)")
                .execute(Tuple.of(ids.stream().map(SessionId::key).toArray(String[]::new)))
                .await().atMost(WAIT).iterator().next().getLong(0);
    }
}
