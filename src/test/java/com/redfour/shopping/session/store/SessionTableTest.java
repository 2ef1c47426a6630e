package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.Status;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session table against the real database, without HTTP: every write is guarded by the version
 * it was read at, a delete leaves a tombstone, and the two rows of a merge (and a restore's link) are
 * written together or not at all, with their events.
 */
@QuarkusTest
class SessionTableTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Arrival ARRIVAL = new Arrival("/", null, "203.0.113.9", "USD");

    @Inject
    SessionTable table;

    @Inject
    RecoveryLinkTable links;

    @Inject
    Pool pool;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void aWriteFromAVersionThatMovedOnWritesNothing() {
        Row.Live created = saved(create());
        Row.Live changed = change(created, "one");
        assertThat(save(created, changed)).isTrue();
        assertThat(save(created, change(created, "from the old version"))).isFalse();

        Row loaded = load(created);
        assertThat(loaded).isInstanceOfSatisfying(Row.Live.class, live -> {
            assertThat(live.session().version()).isEqualTo(2);
            assertThat(live.session().logs()).extracting(e -> e.entry()).containsExactly("Session created", "one");
        });
        assertThat(events(created)).containsExactly("session.created", "activity.recorded");
    }

    @Test
    void aDeleteLeavesATombstoneThatKeepsItsKeysAndACreateOverItStartsANewLife() {
        Row.Live created = saved(create());
        AppliedKey key = new AppliedKey("delete-1", "fingerprint", AppliedKey.Kind.DELETED, now);
        Row.Gone tombstone = Row.Gone.deleted(2, List.of(key));
        assertThat(table.save(created, tombstone, Optional.empty(), List.of(), now).await().atMost(WAIT)).isTrue();

        Row gone = load(created);
        assertThat(gone).isInstanceOfSatisfying(Row.Gone.class, g -> {
            assertThat(g.expired()).as("deleted, not expired").isFalse();
            assertThat(g.version()).isEqualTo(2);
            assertThat(g.keys()).extracting(AppliedKey::key).containsExactly("delete-1");
        });
        Row.Live again = Row.Live.of(Session.create(created.session().id(), ARRIVAL, null, now.plusSeconds(1)));
        assertThat(table.save(gone, again, Optional.empty(), List.of(), now).await().atMost(WAIT)).isTrue();
        assertThat(load(created)).isInstanceOfSatisfying(Row.Live.class,
                live -> assertThat(live.session().logs()).extracting(e -> e.entry()).containsExactly("Session created"));
    }

    @Test
    void aMergeWhoseSecondRowMovedOnRollsTheFirstBack() {
        Row.Live target = saved(create());
        Row.Live source = saved(create());
        Row.Live sourceMovedOn = change(source, "meanwhile");
        assertThat(save(source, sourceMovedOn)).isTrue();

        Row.Live targetNext = change(target, "merged");
        Row.Live sourceNext = source.with(source.session().withStatus(Status.MERGED).advanced(now));
        boolean saved = table.save(target, targetNext, Optional.of(new SourceWrite(source, sourceNext)),
                List.of(PendingEvent.of(Happened.of("activity.recorded", "entry", "merged"), targetNext.session())), now)
                .await().atMost(WAIT);

        assertThat(saved).isFalse();
        assertThat(((Row.Live) load(target)).session().version()).as("the first row's write was rolled back").isEqualTo(1);
        assertThat(((Row.Live) load(source)).session().status()).isEqualTo(Status.OPEN);
        assertThat(events(target)).containsExactly("session.created");
    }

    @Test
    void aRestoreWhoseLinkWasUsedMeanwhileRollsBothRowsBack() {
        Row.Live into = saved(create());
        Row.Live source = saved(withLine(create()));
        RecoveryLinkTable.Made made = links.make(source.session().id(), RecoveryToken.newLinkId(), RecoveryToken.hash(RecoveryToken.newToken()),
                null, now, now.plus(Duration.ofDays(1)), 10).await().atMost(WAIT);
        RecoveryLink link = ((RecoveryLinkTable.Link) made).link();
        pool.preparedQuery("UPDATE recovery_link SET used_at = now() WHERE store = $1 AND id = $2")
                .execute(Tuple.of(link.store(), link.id())).await().atMost(WAIT);

        Row.Live intoNext = change(into, "restored");
        Row.Live sourceNext = source.with(source.session().withStatus(Status.MERGED).advanced(now));
        SourceWrite.LinkUse use = new SourceWrite.LinkUse(link.store(), link.id(), now);
        boolean saved = table.save(into, intoNext, Optional.of(new SourceWrite(source, sourceNext, Optional.of(use))), List.of(), now)
                .await().atMost(WAIT);

        assertThat(saved).isFalse();
        assertThat(((Row.Live) load(into)).session().version()).isEqualTo(1);
        assertThat(((Row.Live) load(source)).session().status()).isEqualTo(Status.OPEN);
    }

    // --- helpers ------------------------------------------------------------------------------------

    @Test
    void aReportOfAbandonmentBetweenReadAndWriteFailsTheWriteLikeAVersionAndTheRetryKeepsTheFactsValue() {
        Row.Live created = saved(create());
        Row.Live withLine = withLine(created);
        assertThat(save(created, withLine)).isTrue();
        Row.Live read = (Row.Live) load(created);
        assertThat(read.reportedAbandoned()).isFalse();
        assertThat(fact(created, "value")).isEqualTo("19.99");

        // the cart scan's mark, as it runs it: the version does not move
        markAbandoned(read);
        Row.Live more = read.with(new Change.SelectItem("RKT-2", "Saturn", new BigDecimal("5.00"), 1)
                .applyTo(read.session(), now));
        assertThat(save(read, more)).as("read before the report: refused, like a version").isFalse();

        Row.Live again = (Row.Live) load(created);
        assertThat(again.reportedAbandoned()).isTrue();
        assertThat(save(again, again.with(new Change.SelectItem("RKT-2", "Saturn", new BigDecimal("5.00"), 1)
                .applyTo(again.session(), now)))).isTrue();
        assertThat(fact(created, "abandoned")).isEqualTo("true");
        assertThat(fact(created, "value")).as("the abandoned value follows the change").isEqualTo("24.99");
    }

    private void markAbandoned(Row.Live row) {
        Session s = row.session();
        pool.preparedQuery("WITH m AS (UPDATE session SET abandoned_version = version WHERE store = $1 AND key = $2"
                + " RETURNING key, store, created_at, $3::numeric AS value)" + FactStatements.abandoned("m")
                + " SELECT count(*) FROM m")
                .execute(Tuple.of(s.id().store(), s.id().key(), s.totals().total())).await().atMost(WAIT);
    }

    private String fact(Row.Live row, String column) {
        return pool.preparedQuery("SELECT " + column + "::text FROM session_fact WHERE store = $1 AND session_key = $2")
                .execute(Tuple.of(row.session().id().store(), row.session().id().key())).await().atMost(WAIT)
                .iterator().next().getString(0);
    }

    private Row.Live create() {
        SessionId id = new SessionId("demo", "table-" + UUID.randomUUID().toString().replace("-", ""));
        return Row.Live.of(Session.create(id, ARRIVAL, null, now));
    }

    /** The row as saved (inserted) and read back. */
    private Row.Live saved(Row.Live created) {
        return StoredSessions.insert(table, created.session(), now);
    }

    private Row.Live withLine(Row.Live row) {
        return row.with(new Change.SelectItem("RKT-1", "Falcon", new BigDecimal("19.99"), 1).applyTo(row.session(), now));
    }

    private static Row.Live change(Row.Live row, String entry) {
        return row.with(new Change.RecordActivity(entry).applyTo(row.session(), row.session().updatedAt()));
    }

    /** Saves {@code next} over {@code loaded}, with its event. */
    private boolean save(Row.Live loaded, Row.Live next) {
        return table.save(loaded, next, Optional.empty(), List.of(PendingEvent.of(Happened.of("activity.recorded",
                "entry", "x"), next.session())), now).await().atMost(WAIT);
    }

    private Row load(Row.Live row) {
        return table.load(row.session().id(), now).await().atMost(WAIT);
    }

    private List<String> events(Row.Live row) {
        List<String> types = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT type FROM session_event WHERE store = $1 AND session_key = $2 ORDER BY id")
                .execute(Tuple.of(row.session().id().store(), row.session().id().key())).await().atMost(WAIT)
                .forEach(r -> types.add(r.getString(0)));
        return types;
    }
}
