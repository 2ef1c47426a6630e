package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Cart;
import com.redfour.shopping.session.Lifetime;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.SessionLog;
import com.redfour.shopping.session.Status;
import com.redfour.shopping.session.store.SessionWrites.Events;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
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
 * was read at; one method, {@link #save}, writes whatever a batch of the pipeline decided, with the
 * statements of {@link SessionWrites}.
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

    // A deleted session's tombstone is an expired row too; its document is '{}' (SessionWrites.FORGET),
    // which no session's document is, and that tells "deleted" (404) from "expired" (410).
    // The reads whose rows are written back also tell whether the row was reported abandoned
    // (Row.Live#reportedAbandoned), by name: live() reads it where it is there.
    private static final String ABANDONED = ", s.abandoned_version IS NOT NULL AS abandoned";

    private static final String LOAD = "SELECT " + COLUMNS + ", s.expires_at > $3 AS live, s.document = '{}'::jsonb AS deleted"
            + ABANDONED + " FROM session s WHERE s.store = $1 AND s.key = $2";

    private static final String BY_MEMBER = "SELECT " + COLUMNS + ABANDONED + """
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
                    .flatMap(ok -> ok ? write(tx, other.before(), other.after(), merged, now) : Uni.createFrom().item(false))
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
            Instant expiresAt = expiry(live.session());
            return loaded instanceof Row.Live before
                    ? SessionWrites.update(client, live, before, expiresAt, events)
                    : SessionWrites.insert(client, live, loaded instanceof Row.Gone gone ? gone.version() : Row.NO_VERSION,
                            expiresAt, events);
        }
        if (next instanceof Row.Gone gone && loaded instanceof Row.Live before) {
            return SessionWrites.forget(client, before.session(), gone, events, now);
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

    /** The row as this service holds it once {@code written} is saved: its log's entries count as stored. */
    public static Row settled(Row written) {
        if (written instanceof Row.Live live && !live.session().log().added().isEmpty()) {
            Session s = live.session();
            return live.with(s.withLog(SessionLog.of(StoredLog.of(s.log()))));
        }
        return written;
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
        int abandoned = row.getColumnIndex("abandoned");
        return new Row.Live(session, DocumentCodec.readKeys(row.getString(8)), abandoned >= 0 && row.getBoolean(abandoned));
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
