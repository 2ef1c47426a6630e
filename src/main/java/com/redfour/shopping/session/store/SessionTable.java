package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Cart;
import com.redfour.shopping.session.Lifetime;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.SessionLog;
import com.redfour.shopping.session.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code session} table: maps a session's {@link Row} to its table row and back. Every statement
 * goes by the full primary key, and every write of a row that exists is guarded by the version it
 * was read at; one method, {@link #save}, writes whatever a batch of the pipeline decided.
 */
@ApplicationScoped
public class SessionTable {

    private static final int MAX_LOG = SessionLog.MAX_ENTRIES;
    private static final int CHUNK = StoredLog.CHUNK;

    /**
     * The session's log (V6): the chunks of {@code session_log} that hold its newest {@link #MAX_LOG}
     * entries, as one text, and how many entries that text holds. Entries are numbered from the row's
     * {@code log_start} (where this life of the key began, a multiple of {@link #CHUNK}) to
     * {@code log_next} (exclusive); entry n is in chunk n / CHUNK.
     */
    static final String LOG_COLUMNS = "(SELECT string_agg(l.entries, ',' ORDER BY l.chunk) FROM session_log l"
            + " WHERE l.store = s.store AND l.key = s.key AND l.chunk >= greatest(s.log_start, s.log_next - " + MAX_LOG
            + ") / " + CHUNK + "), s.log_next - greatest(s.log_start, s.log_next - " + MAX_LOG + ") / " + CHUNK + " * " + CHUNK;

    /** What {@link #live} reads, from {@code session s}. */
    static final String COLUMNS = "s.store, s.key, s.version, s.status, s.member_id, s.created_at, s.updated_at,"
            + " s.document::text, s.applied_keys::text, " + LOG_COLUMNS;

    // A deleted session's tombstone is an expired row too; its document is '{}' (FORGET), which no
    // session's document is, and that tells "deleted" (404) from "expired" (410).
    private static final String LOAD = "SELECT " + COLUMNS + ", s.expires_at > $3 AS live, s.document = '{}'::jsonb AS deleted"
            + " FROM session s WHERE s.store = $1 AND s.key = $2";

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
            CHUNK - 1, CHUNK, CHUNK), 13, DROP_LINKS);

    private static final String UPDATE = withEvents("""
            UPDATE session
               SET version = $3, status = $4, member_id = $5, updated_at = $6, expires_at = $7,
                   document = $8::text::jsonb, applied_keys = $9::text::jsonb, item_count = $11,
                   log_next = log_next + cardinality($17::text[])
             WHERE store = $1 AND key = $2 AND version = $10""", 12, "");

    // A deleted session is kept as an expired tombstone holding nothing but its idempotency keys, so
    // that a repeated DELETE can be answered as the first was; the purge removes it like any expired row.
    private static final String FORGET = withEvents("""
            UPDATE session
               SET version = $6, expires_at = $3, document = '{}', applied_keys = $4::text::jsonb, item_count = 0,
                   expiry_reported = true
             WHERE store = $1 AND key = $2 AND version = $5""", 7, DROP_LINKS);

    private static final String BY_MEMBER = "SELECT " + COLUMNS + """
             FROM session s
            WHERE s.store = $1 AND s.member_id = $2 AND s.status = 'open' AND s.expires_at > $3
            ORDER BY s.updated_at DESC
            LIMIT $4
            """;

    // An expired open session with lines is kept until its expiry is reported (session.expired, CartScan),
    // but not past $3 (the end of the grace period), so that the table stays bounded if the scan is down.
    // A purged session's log goes with it.
    private static final String PURGE = """
            WITH d AS (DELETE FROM session
                        WHERE ctid = ANY (ARRAY(SELECT ctid FROM session
                                                 WHERE expires_at <= $1
                                                   AND (expiry_reported OR status <> 'open' OR item_count = 0 OR expires_at <= $3)
                                                 ORDER BY expires_at LIMIT $2))
                        RETURNING store, key),
                 l AS (DELETE FROM session_log o USING d WHERE o.store = d.store AND o.key = d.key)
            SELECT count(*) FROM d
            """;

    /**
     * A write statement (whose $1 and $2 are the store and key) followed by the insert of its events
     * ($p to $p+4) and of its new log entries ($p+5, which the write statement adds to {@code log_next}).
     * The entries go into their chunks (a chunk begun earlier is appended to); a write that begins a
     * chunk also removes the chunks now out of view, and those of an earlier life of the key.
     * {@code more} is any further common table expression, which may use {@code w}.
     */
    private static String withEvents(String write, int p, String more) {
        String entries = "$" + (p + 5) + "::text[]";
        return "WITH w AS (" + write + " RETURNING log_start, log_next),"
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

    /** At most this many events are written by one transaction (their ids are the transaction's id x 1000 + 0..999). */
    public static final int MAX_EVENTS_PER_TRANSACTION = 1000;

    private final Pool pool;
    private final Duration ttl;
    private final Duration emptyTtl;
    private final boolean recordEvents;

    public SessionTable(Pool pool, SessionSettings settings) {
        this.pool = pool;
        this.ttl = settings.ttl();
        this.emptyTtl = settings.emptyTtl();
        this.recordEvents = settings.recordEvents();
    }

    /** When the session expires if nothing changes it, as its {@link Lifetime} tells. */
    public Instant expiry(Session session) {
        return new Lifetime(ttl, emptyTtl).expiresAt(session);
    }

    /** The session's row as it is at {@code now}: absent, live, or gone (expired or deleted). */
    public Uni<Row> load(SessionId id, Instant now) {
        return pool.preparedQuery(LOAD).execute(Tuple.of(id.store(), id.key(), utc(now))).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Row.ABSENT;
            }
            io.vertx.mutiny.sqlclient.Row row = it.next();
            return row.getBoolean(11) ? live(row)
                    : new Row.Gone(row.getLong(2), DocumentCodec.readKeys(row.getString(8)), !row.getBoolean(12));
        });
    }

    /** A member's open sessions in a store, most recently updated first. */
    public Uni<List<Row.Live>> openSessionsOf(String store, String memberId, Instant now, int limit) {
        return pool.preparedQuery(BY_MEMBER).execute(Tuple.of(store, memberId, utc(now), limit)).map(rows -> {
            List<Row.Live> sessions = new ArrayList<>(rows.size());
            rows.forEach(row -> sessions.add(live(row)));
            return sessions;
        });
    }

    /**
     * Writes what one batch decided, {@code loaded} being the row as it was read: a create (insert),
     * a change (update), a delete (tombstone), or a merge's or a recovery's two rows in one transaction
     * (a recovery also uses up its link there). Every write is guarded by the version it was read at
     * (and a link by its being unused); false when a guard failed (nothing written).
     * The events are recorded with it unless {@link SessionSettings#recordEvents} is off. Only the write
     * pipeline ({@code session/write}) calls it: ArchitectureTest.
     */
    public Uni<Boolean> save(Row loaded, Row next, Optional<SourceWrite> source, List<PendingEvent> decided,
            Instant now) {
        List<PendingEvent> events = recordEvents ? decided : List.of();
        if (events.size() > MAX_EVENTS_PER_TRANSACTION) {
            throw new IllegalStateException(events.size() + " events in one transaction");
        }
        if (source.isPresent()) {
            SourceWrite other = source.get();
            SessionId sourceId = other.after().session().id();
            Events own = Events.of(events, e -> !e.state().id().equals(sourceId), 0);
            Events merged = Events.of(events, e -> e.state().id().equals(sourceId), own.size());
            return pool.withTransaction(tx -> write(tx, loaded, next, own, now)
                    .flatMap(ok -> ok ? update(tx, other.after(), other.before().session().version(), merged)
                            : Uni.createFrom().item(false))
                    .flatMap(ok -> ok && other.link().isPresent() ? RecoveryLinkTable.use(tx, other.link().get())
                            : Uni.createFrom().item(ok))
                    .map(ok -> {
                        if (!ok) {
                            throw new LostRace();
                        }
                        return true;
                    })).onFailure(LostRace.class).recoverWithItem(false);
        }
        return write(pool, loaded, next, Events.of(events, e -> true, 0), now);
    }

    private Uni<Boolean> write(SqlClient client, Row loaded, Row next, Events events, Instant now) {
        if (next instanceof Row.Live live) {
            return loaded instanceof Row.Live before
                    ? update(client, live, before.session().version(), events)
                    : insert(client, live, loaded instanceof Row.Gone gone ? gone.version() : Row.NO_VERSION, events);
        }
        if (next instanceof Row.Gone gone && loaded instanceof Row.Live before) {
            return forget(client, before.session(), gone, events, now);
        }
        throw new IllegalStateException("no single statement turns " + loaded + " into " + next);
    }

    /**
     * Deletes up to {@code batchSize} sessions that expired by {@code now}; answers how many. An open
     * session with lines whose expiry is not yet reported is kept, unless it expired by {@code graceEnd}.
     */
    public Uni<Integer> purgeExpired(Instant now, int batchSize, Instant graceEnd) {
        return pool.preparedQuery(PURGE).execute(Tuple.of(utc(now), batchSize, utc(graceEnd)))
                .map(rows -> rows.iterator().next().getLong(0).intValue());
    }

    private Uni<Boolean> insert(SqlClient client, Row.Live row, long expectedVersion, Events events) {
        Session s = row.session();
        Tuple values = Tuple.tuple(List.of(s.id().store(), s.id().key(), s.version(), s.status().wireName()))
                .addValue(s.memberId())
                .addValue(utc(s.createdAt()))
                .addValue(utc(s.updatedAt()))
                .addValue(utc(expiry(s)))
                .addValue(DocumentCodec.write(s))
                .addValue(DocumentCodec.writeKeys(row.keys()))
                .addValue(expectedVersion)
                .addValue(s.totals().itemCount());
        return client.preparedQuery(INSERT).execute(events.appendTo(values).addValue(newEntries(s)))
                .map(SessionTable::written);
    }

    private Uni<Boolean> update(SqlClient client, Row.Live row, long expectedVersion, Events events) {
        Session s = row.session();
        Tuple values = Tuple.tuple(List.of(s.id().store(), s.id().key(), s.version(), s.status().wireName()))
                .addValue(s.memberId())
                .addValue(utc(s.updatedAt()))
                .addValue(utc(expiry(s)))
                .addValue(DocumentCodec.write(s))
                .addValue(DocumentCodec.writeKeys(row.keys()))
                .addValue(expectedVersion)
                .addValue(s.totals().itemCount());
        return client.preparedQuery(UPDATE).execute(events.appendTo(values).addValue(newEntries(s)))
                .map(SessionTable::written);
    }

    /** Turns the session into a tombstone that has expired at {@code now} and keeps only the gone row's keys. */
    private Uni<Boolean> forget(SqlClient client, Session before, Row.Gone gone, Events events, Instant now) {
        SessionId id = before.id();
        Tuple values = Tuple.of(id.store(), id.key(), utc(now), DocumentCodec.writeKeys(gone.keys()), before.version(),
                gone.version());
        return client.preparedQuery(FORGET).execute(events.appendTo(values).addValue(new String[0]))
                .map(SessionTable::written);
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

    /** The row as this service holds it once {@code written} is saved: its log's entries count as stored. */
    public static Row settled(Row written) {
        if (written instanceof Row.Live live && !live.session().log().added().isEmpty()) {
            Session s = live.session();
            return live.with(s.withLog(SessionLog.of(StoredLog.of(s.log()))));
        }
        return written;
    }

    private static boolean written(RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        return rows.iterator().next().getLong(0) == 1;
    }

    /** The events one statement records, as the arrays its {@code unnest} takes. */
    private record Events(Integer[] ordinals, Long[] versions, String[] types, OffsetDateTime[] ats, String[] payloads) {

        static Events of(List<PendingEvent> all, java.util.function.Predicate<PendingEvent> mine, int firstOrdinal) {
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

    /**
     * A live row from the eleven columns of {@link #COLUMNS}. A document written before V6 still holds
     * its log: those entries count as not yet stored, so the next write moves them to {@code session_log}.
     */
    public static Row.Live live(io.vertx.mutiny.sqlclient.Row row) {
        Instant createdAt = row.getOffsetDateTime(5).toInstant();
        DocumentCodec.Document doc = DocumentCodec.readDocument(row.getString(7)).upgraded(createdAt);
        SessionLog log = SessionLog.of(new StoredLog(row.getString(9), row.getInteger(10)));
        if (!doc.logs().isEmpty()) {
            log = log.appendAll(doc.logs());
        }
        Session session = new Session(
                new SessionId(row.getString(0), row.getString(1)),
                row.getLong(2),
                Status.fromWireName(row.getString(3)),
                new Arrival(doc.landing(), doc.referrer(), doc.ip(), doc.currency()),
                row.getString(4),
                new Cart(doc.items(), doc.discounts().stream().map(DocumentCodec.StoredDiscount::toDiscount).toList(),
                        doc.lastLineNumber()),
                doc.note(),
                doc.attributes(),
                doc.attribution(),
                doc.recoveredFrom(),
                log,
                createdAt,
                row.getOffsetDateTime(6).toInstant());
        return new Row.Live(session, DocumentCodec.readKeys(row.getString(8)));
    }

    public static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /** Rolls a merge's transaction back when one of its version checks failed. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("a merged session changed meanwhile", null, false, false);
        }
    }
}
