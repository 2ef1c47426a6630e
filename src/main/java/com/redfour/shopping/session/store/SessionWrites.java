package com.redfour.shopping.session.store;

import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionFacts;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.SessionLog;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.function.Predicate;

import static com.redfour.shopping.session.store.SessionTable.utc;

/**
 * The three statements that write a session's row (a create, a change, a delete), each with the values
 * it is given, and the events and log entries every one of them records with the row. Each answers
 * true when the row was written, false when its version guard failed (and nothing was written).
 * {@link SessionTable#save} chooses which one a batch needs.
 */
final class SessionWrites {

    private static final int MAX_LOG = SessionLog.MAX_ENTRIES;
    private static final int CHUNK = StoredLog.CHUNK;

    // Every write of a row is one statement that also records the events of the changes it saves
    // (the outbox, V3): the row and its events are saved together or not at all. The statement answers
    // 1 when the row was written, 0 when its version guard failed (and then no event was recorded).
    // An event's id is the transaction's id x 1000 + its ordinal in the transaction, which is what
    // lets readers page without ever skipping one (event/store/EventTable).

    // A create (a new life of the key) and a delete drop the key's recovery links (V8) in the same
    // statement, when they write: a link never outlives the session it was made for.
    private static final String DROP_LINKS = ", k AS (DELETE FROM recovery_link k USING w WHERE k.store = $1 AND k.session_key = $2)";

    // Creating over an expired or deleted row replaces it, if it is still at the version it was read at.
    private static final String INSERT = withEvents("""
            INSERT INTO session AS s (store, key, version, status, member_id, created_at, updated_at, expires_at,
                                      document, applied_keys, item_count, log_start, log_next)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $12, 0, cardinality($18::text[]))
            ON CONFLICT (store, key) DO UPDATE
               SET version = EXCLUDED.version, status = EXCLUDED.status, member_id = EXCLUDED.member_id,
                   created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                   expires_at = EXCLUDED.expires_at, document = EXCLUDED.document,
                   applied_keys = EXCLUDED.applied_keys, item_count = EXCLUDED.item_count,
                   abandoned_version = NULL, expiry_reported = false,
                   log_start = (s.log_next + %d) / %d * %d, log_next = (s.log_next + %d) / %d * %d + cardinality($18::text[])
             WHERE s.expires_at <= EXCLUDED.created_at AND s.version = $11""".formatted(CHUNK - 1, CHUNK, CHUNK,
            CHUNK - 1, CHUNK, CHUNK), 13, DROP_LINKS + FactStatements.created(19));

    private static final String UPDATE_SET = """
            UPDATE session
               SET version = $3, status = $4, member_id = $5, updated_at = $6, expires_at = $7,
                   document = $8::text::jsonb, applied_keys = $9::text::jsonb, item_count = $11,
                   log_next = log_next + cardinality($17::text[])
             WHERE store = $1 AND key = $2 AND version = $10""";

    // A change that moves none of the session's insights facts, of a session not reported abandoned (as
    // read, and still: a report meanwhile fails the write like a version, and the retry reads it) writes
    // no facts at all: most changes of a cart.
    private static final String UPDATE = withEvents(UPDATE_SET + " AND abandoned_version IS NULL", 12, "");

    // Any other change also writes the facts it moved, or the value of an abandoned session (V9).
    private static final String UPDATE_FACTS = withEvents(UPDATE_SET, 12, FactStatements.changed(18, 19));

    // A deleted session is kept as an expired tombstone holding nothing but its idempotency keys, so
    // that a repeated DELETE can be answered as the first was; the purge removes it like any expired row.
    private static final String FORGET = withEvents("""
            UPDATE session
               SET version = $6, expires_at = $3, document = '{}', applied_keys = $4::text::jsonb, item_count = 0,
                   expiry_reported = true
             WHERE store = $1 AND key = $2 AND version = $5""", 7, DROP_LINKS + FactStatements.forgotten());

    /**
     * A write statement (whose $1 and $2 are the store and key) followed by the insert of its events
     * ($p to $p+4) and of its new log entries ($p+5, which the write statement adds to {@code log_next}).
     * The entries go into their chunks (a chunk begun earlier is appended to); a write that begins a
     * chunk also removes the chunks now out of view, and those of an earlier life of the key.
     * {@code more} is any further common table expression, which may use {@code w} (which also returns the
     * row's {@code created_at} and whether it was reported abandoned): the links and the insights facts.
     */
    private static String withEvents(String write, int p, String more) {
        String entries = "$" + (p + 5) + "::text[]";
        return "WITH w AS (" + write + " RETURNING log_start, log_next, created_at, abandoned_version IS NOT NULL AS abandoned),"
                + " e AS (INSERT INTO session_event (store, id, session_key, version, type, at, payload)"
                + " SELECT $1, pg_current_xact_id()::text::bigint * 1000 + ev.ordinal, $2, ev.version, ev.type, ev.at,"
                + " ev.payload::json FROM w, unnest($" + p + "::int[], $" + (p + 1) + "::bigint[], $" + (p + 2)
                + "::text[], $" + (p + 3) + "::timestamptz[], $" + (p + 4) + "::text[])"
                + " AS ev(ordinal, version, type, at, payload)),"
                + " l AS (INSERT INTO session_log AS o (store, key, chunk, entries)"
                + " SELECT $1, $2, (w.log_next - cardinality(" + entries + ") + n.i - 1) / " + CHUNK + ","
                + " string_agg(n.entry, ',' ORDER BY n.i) FROM w, unnest(" + entries + ") WITH ORDINALITY AS n(entry, i)"
                + " GROUP BY 3 ON CONFLICT (store, key, chunk) DO UPDATE SET entries = o.entries || ',' || EXCLUDED.entries),"
                + " t AS (DELETE FROM session_log o USING w WHERE o.store = $1 AND o.key = $2"
                + " AND o.chunk < greatest((w.log_next - " + MAX_LOG + ") / " + CHUNK + ", w.log_start / " + CHUNK + ")"
                + " AND (w.log_next - 1) / " + CHUNK + " * " + CHUNK + " >= w.log_next - cardinality(" + entries + ")"
                + " AND cardinality(" + entries + ") > 0)" + more
                + " SELECT count(*) FROM w";
    }

    private SessionWrites() {
    }

    /** Creates the row's session, over a row at {@code expectedVersion} that is gone (or over none). */
    static Uni<Boolean> insert(SqlClient client, Row.Live row, long expectedVersion, Instant expiresAt, Events events) {
        Session s = row.session();
        return writeLive(client, INSERT, identity(s).addValue(utc(s.createdAt())), row, expectedVersion, expiresAt,
                events, Tuple.of(FactStatements.values(SessionFacts.of(s))));
    }

    /**
     * Writes the row's session over {@code read}, the live row it was read as. Its insights facts are
     * written when the change moved them, and their value (the total) when the session was reported
     * abandoned; a change that does neither runs the statement without them.
     */
    static Uni<Boolean> update(SqlClient client, Row.Live row, Row.Live read, Instant expiresAt, Events events) {
        Session before = read.session();
        Session after = row.session();
        boolean moved = SessionFacts.moved(before, after);
        if (!moved && !read.reportedAbandoned()) {
            return writeLive(client, UPDATE, identity(after), row, before.version(), expiresAt, events, Tuple.tuple());
        }
        String[] facts = moved ? FactStatements.values(SessionFacts.of(after)) : FactStatements.valueOnly(after.totals().total());
        return writeLive(client, UPDATE_FACTS, identity(after), row, before.version(), expiresAt, events,
                Tuple.of(facts, moved));
    }

    /** Turns the session into a tombstone that has expired at {@code now} and keeps only the gone row's keys. */
    static Uni<Boolean> forget(SqlClient client, Session before, Row.Gone gone, Events events, Instant now) {
        SessionId id = before.id();
        Tuple values = Tuple.of(id.store(), id.key(), utc(now), DocumentCodec.writeKeys(gone.keys()), before.version(),
                gone.version());
        return client.preparedQuery(FORGET).execute(events.appendTo(values).addValue(new String[0]))
                .map(SessionWrites::written);
    }

    /** The first values of an insert and of an update: store, key, version, status, member ($1 to $5). */
    private static Tuple identity(Session s) {
        return Tuple.tuple(List.of(s.id().store(), s.id().key(), s.version(), s.status().wireName()))
                .addValue(s.memberId());
    }

    /**
     * Runs an insert or an update with {@code first} (its values up to the update time) and then the values
     * both take in the same order: update time, expiry, document, keys, expected version, item count; its
     * events; its new log entries; and {@code last}, the values of its insights facts.
     */
    private static Uni<Boolean> writeLive(SqlClient client, String sql, Tuple first, Row.Live row, long expectedVersion,
            Instant expiresAt, Events events, Tuple last) {
        Session s = row.session();
        Tuple values = first
                .addValue(utc(s.updatedAt()))
                .addValue(utc(expiresAt))
                .addValue(DocumentCodec.write(s))
                .addValue(DocumentCodec.writeKeys(row.keys()))
                .addValue(expectedVersion)
                .addValue(s.totals().itemCount());
        values = events.appendTo(values).addValue(newEntries(s));
        for (int i = 0; i < last.size(); i++) {
            values.addValue(last.getValue(i));
        }
        return client.preparedQuery(sql).execute(values).map(SessionWrites::written);
    }

    /** The log entries the session added since it was read, as stored ({@link StoredLog#render}). */
    private static String[] newEntries(Session s) {
        List<LogEntry> added = s.log().added();
        String[] entries = new String[added.size()];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = StoredLog.render(added.get(i));
        }
        return entries;
    }

    private static boolean written(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        return rows.iterator().next().getLong(0) == 1;
    }

    /** The events one statement records, as the arrays its {@code unnest} takes. */
    record Events(Integer[] ordinals, Long[] versions, String[] types, OffsetDateTime[] ats, String[] payloads) {

        static Events of(List<PendingEvent> all, Predicate<PendingEvent> mine, int firstOrdinal) {
            List<PendingEvent> events = all.stream().filter(mine).toList();
            int n = events.size();
            Events arrays = new Events(new Integer[n], new Long[n], new String[n], new OffsetDateTime[n], new String[n]);
            for (int i = 0; i < n; i++) {
                PendingEvent event = events.get(i);
                arrays.ordinals[i] = firstOrdinal + i;
                arrays.versions[i] = event.version();
                arrays.types[i] = event.happened().type();
                arrays.ats[i] = utc(event.at());
                arrays.payloads[i] = EventCodec.payload(event);
            }
            return arrays;
        }

        int size() {
            return ordinals.length;
        }

        Tuple appendTo(Tuple values) {
            return values.addValue(ordinals).addValue(versions).addValue(types).addValue(ats).addValue(payloads);
        }
    }
}
