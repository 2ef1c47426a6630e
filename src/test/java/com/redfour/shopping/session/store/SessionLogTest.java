package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log kept in its own table (V6, issue 14), against the real database without HTTP: a write
 * appends its entries and rewrites no other; a load shows the newest 200 entries, oldest first; the
 * table holds no more of a session than that view needs.
 */
@QuarkusTest
class SessionLogTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Arrival ARRIVAL = new Arrival("/", null, "203.0.113.9", "USD");

    @Inject
    SessionTable table;

    @Inject
    Pool pool;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void theNewest200EntriesAreShownAndOlderChunksAreRemoved() {
        Row.Live row = created();
        for (int i = 1; i <= 250; i++) {
            row = appended(row, "step " + i);
        }
        assertThat(entries(row)).containsExactlyElementsOf(IntStream.rangeClosed(51, 250).mapToObj(i -> "step " + i).toList());
        // 251 entries written (with "Session created"), numbered 0..250: the view starts at entry 51, in
        // chunk 2; chunks 0 and 1 were removed when chunk 12 was begun
        assertThat(chunks(row)).containsExactly(2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        assertThat(logColumns(row)).as("the life began at entry 0; the next is 251").containsExactly(0, 251);
    }

    @Test
    void entriesAreStoredOnceAsTheirJsonAndReadBackAsWritten() {
        String awkward = "quote \" backslash \\ comma-brace ,{\"at\":\"x\"} tab \t unicode \u00e9\u20ac line\nend";
        Row.Live row = appended(created(), awkward);
        for (int i = 0; i < 199; i++) { // pushes "Session created" out, keeps the awkward one first in view
            row = appended(row, "filler " + i);
        }
        List<String> entries = entries(row);
        assertThat(entries).hasSize(200);
        assertThat(entries.get(0)).isEqualTo(awkward);
        assertThat(entries.get(199)).isEqualTo("filler 198");
        String stored = pool.preparedQuery("SELECT entries FROM session_log WHERE store = $1 AND key = $2 AND chunk = 0")
                .execute(key(row)).await().atMost(WAIT).iterator().next().getString(0);
        assertThat(stored).startsWith("{\"at\":\"").contains("\"entry\":\"Session created\"}");
    }

    @Test
    void aSessionCreatedAgainUnderItsKeyStartsAFreshLog() {
        Row.Live row = created();
        for (int i = 0; i < 30; i++) {
            row = appended(row, "first life " + i);
        }
        Row.Gone tombstone = Row.Gone.deleted(row.session().version() + 1, List.of());
        assertThat(save(row, tombstone, "session.deleted")).isTrue();
        Row gone = load(row.session().id());
        Row.Live again = Row.Live.of(Session.create(row.session().id(), ARRIVAL, null, now.plusSeconds(1)));
        assertThat(save(gone, again, "session.created")).isTrue();

        Row.Live second = (Row.Live) load(row.session().id());
        assertThat(entries(second)).containsExactly("Session created");
        // 31 entries in the first life (0..30, chunks 0 and 1); the second begins at 40, chunk 2, and
        // its first write removed the first life's chunks
        assertThat(chunks(second)).containsExactly(2);
        assertThat(logColumns(second)).containsExactly(40, 41);
    }

    @Test
    void aLogStillInAnOlderDocumentIsShownAndMovedByTheNextWrite() {
        SessionId id = newId();
        Instant created = now.minusSeconds(60);
        String document = """
                {"currency":"USD","landing":"/","referrer":null,"ip":"203.0.113.9","items":[],"discounts":[],
                 "logs":[{"at":AT,"entry":"Session created"},{"at":AT,"entry":"Looked at rockets"}]}""";
        StoredSessions.insertAsWritten(pool, id, 2, created, Duration.ofDays(1), document);

        Row.Live old = (Row.Live) load(id);
        assertThat(entries(old)).containsExactly("Session created", "Looked at rockets");
        assertThat(old.session().logs().get(0).at()).isEqualTo(created);
        Row.Live moved = appended(old, "Came back");

        assertThat(entries(moved)).containsExactly("Session created", "Looked at rockets", "Came back");
        assertThat(logColumns(moved)).containsExactly(0, 3);
        String stored = pool.preparedQuery("SELECT document::text FROM session WHERE store = $1 AND key = $2")
                .execute(key(moved)).await().atMost(WAIT).iterator().next().getString(0);
        assertThat(stored).doesNotContain("\"logs\"");
    }

    private SessionId newId() {
        return new SessionId("demo", "log-" + UUID.randomUUID().toString().replace("-", ""));
    }

    /** A new session, saved and read back. */
    private Row.Live created() {
        return StoredSessions.insert(table, Session.create(newId(), ARRIVAL, null, now), now);
    }

    /** {@code row} with one more log entry, saved and read back. */
    private Row.Live appended(Row.Live row, String entry) {
        Row.Live next = row.with(new Change.RecordActivity(entry).applyTo(row.session(), now));
        assertThat(save(row, next, "activity.recorded")).isTrue();
        return (Row.Live) load(row.session().id());
    }

    private boolean save(Row loaded, Row next, String event) {
        Session told = next instanceof Row.Live live ? live.session() : ((Row.Live) loaded).session();
        return table.save(loaded, next, Optional.empty(), List.of(PendingEvent.of(Happened.of(event), told)), now)
                .await().atMost(WAIT);
    }

    private Row load(SessionId id) {
        return table.load(id, now).await().atMost(WAIT);
    }

    private static List<String> entries(Row.Live row) {
        return row.session().logs().stream().map(e -> e.entry()).toList();
    }

    private static Tuple key(Row.Live row) {
        return Tuple.of(row.session().id().store(), row.session().id().key());
    }

    private List<Integer> chunks(Row.Live row) {
        List<Integer> chunks = new ArrayList<>();
        pool.preparedQuery("SELECT chunk FROM session_log WHERE store = $1 AND key = $2 ORDER BY chunk")
                .execute(key(row)).await().atMost(WAIT).forEach(r -> chunks.add(r.getInteger(0)));
        return chunks;
    }

    private List<Integer> logColumns(Row.Live row) {
        var r = pool.preparedQuery("SELECT log_start, log_next FROM session WHERE store = $1 AND key = $2")
                .execute(key(row)).await().atMost(WAIT).iterator().next();
        return List.of(r.getInteger(0), r.getInteger(1));
    }
}
