package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
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
import java.util.function.Function;

/**
 * The {@code session} table: maps a session to its row and back. Every statement goes by the full
 * primary key, and every write of an existing row is guarded by the version it was read at.
 */
@ApplicationScoped
public class SessionTable {

    private static final String COLUMNS =
            "store, key, version, status, member_id, created_at, updated_at, document::text, applied_keys::text";

    private static final String SELECT = "SELECT " + COLUMNS
            + " FROM session WHERE store = $1 AND key = $2 AND expires_at > $3";

    // An expired row behaves as absent, so creating over it replaces it.
    private static final String INSERT = """
            INSERT INTO session AS s (store, key, version, status, member_id, created_at, updated_at, expires_at,
                                      document, applied_keys)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb)
            ON CONFLICT (store, key) DO UPDATE
               SET version = EXCLUDED.version, status = EXCLUDED.status, member_id = EXCLUDED.member_id,
                   created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                   expires_at = EXCLUDED.expires_at, document = EXCLUDED.document,
                   applied_keys = EXCLUDED.applied_keys
             WHERE s.expires_at <= EXCLUDED.created_at
            """;

    private static final String UPDATE = """
            UPDATE session
               SET version = $3, status = $4, member_id = $5, updated_at = $6, expires_at = $7,
                   document = $8::text::jsonb, applied_keys = $9::text::jsonb
             WHERE store = $1 AND key = $2 AND version = $10
            """;

    // A deleted session is kept as an expired tombstone holding nothing but its idempotency keys, so
    // that a repeated DELETE can be answered as the first was; the purge removes it like any expired row.
    private static final String FORGET = """
            UPDATE session
               SET version = version + 1, expires_at = $3, document = '{}', applied_keys = $4::text::jsonb
             WHERE store = $1 AND key = $2 AND version = $5
            """;

    private static final String KEYS_OF_EXPIRED =
            "SELECT applied_keys::text FROM session WHERE store = $1 AND key = $2 AND expires_at <= $3";

    private static final String BY_MEMBER = "SELECT " + COLUMNS + """
             FROM session
            WHERE store = $1 AND member_id = $2 AND status = 'open' AND expires_at > $3
            ORDER BY updated_at DESC
            LIMIT $4
            """;

    private static final String PURGE = """
            DELETE FROM session
             WHERE ctid = ANY (ARRAY(SELECT ctid FROM session WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2))
            """;

    private final Pool pool;
    private final Duration ttl;

    public SessionTable(Pool pool, SessionSettings settings) {
        this.pool = pool;
        this.ttl = settings.ttl();
    }

    public Pool pool() {
        return pool;
    }

    /** When a session updated at {@code updatedAt} expires. */
    public Instant expiry(Instant updatedAt) {
        return updatedAt.plus(ttl);
    }

    /** The unexpired session, or {@code null}. */
    public Uni<StoredSession> find(SqlClient client, SessionId id, Instant now) {
        return client.preparedQuery(SELECT).execute(Tuple.of(id.store(), id.key(), utc(now)))
                .map(rows -> first(rows, SessionTable::fromRow));
    }

    public Uni<StoredSession> find(SessionId id, Instant now) {
        return find(pool, id, now);
    }

    /** Inserts the session unless an unexpired one with its key exists; true when inserted. */
    public Uni<Boolean> insert(StoredSession stored) {
        Session s = stored.session();
        Tuple values = Tuple.tuple(List.of(s.id().store(), s.id().key(), s.version(), s.status().wireName()))
                .addValue(s.memberId())
                .addValue(utc(s.createdAt()))
                .addValue(utc(s.updatedAt()))
                .addValue(utc(expiry(s.updatedAt())))
                .addValue(DocumentCodec.write(document(s)))
                .addValue(DocumentCodec.writeKeys(stored.appliedKeys()));
        return pool.preparedQuery(INSERT).execute(values).map(rows -> rows.rowCount() == 1);
    }

    /** Writes {@code next} if the row is still at {@code expectedVersion}; true when written. */
    public Uni<Boolean> update(SqlClient client, StoredSession next, long expectedVersion) {
        Session s = next.session();
        Tuple values = Tuple.tuple(List.of(s.id().store(), s.id().key(), s.version(), s.status().wireName()))
                .addValue(s.memberId())
                .addValue(utc(s.updatedAt()))
                .addValue(utc(expiry(s.updatedAt())))
                .addValue(DocumentCodec.write(document(s)))
                .addValue(DocumentCodec.writeKeys(next.appliedKeys()))
                .addValue(expectedVersion);
        return client.preparedQuery(UPDATE).execute(values).map(rows -> rows.rowCount() == 1);
    }

    public Uni<Boolean> update(StoredSession next, long expectedVersion) {
        return update(pool, next, expectedVersion);
    }

    /**
     * Turns the session at {@code expectedVersion} into a tombstone that has expired at {@code now}
     * and remembers only {@code keys}; true when written.
     */
    public Uni<Boolean> forget(SessionId id, long expectedVersion, List<AppliedKey> keys, Instant now) {
        return pool.preparedQuery(FORGET)
                .execute(Tuple.of(id.store(), id.key(), utc(now), DocumentCodec.writeKeys(keys), expectedVersion))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The idempotency keys an expired or deleted session still holds (none when there is no row). */
    public Uni<List<AppliedKey>> keysOfExpired(SessionId id, Instant now) {
        return pool.preparedQuery(KEYS_OF_EXPIRED).execute(Tuple.of(id.store(), id.key(), utc(now)))
                .map(rows -> {
                    String keys = first(rows, row -> row.getString(0));
                    return keys == null ? List.<AppliedKey>of() : DocumentCodec.readKeys(keys);
                });
    }

    /** A member's open sessions in a store, most recently updated first. */
    public Uni<List<StoredSession>> openSessionsOf(SqlClient client, String store, String memberId, Instant now,
            int limit) {
        return client.preparedQuery(BY_MEMBER).execute(Tuple.of(store, memberId, utc(now), limit))
                .map(rows -> all(rows, SessionTable::fromRow));
    }

    /** Deletes up to {@code batchSize} sessions that expired by {@code now}; answers how many. */
    public Uni<Integer> purgeExpired(Instant now, int batchSize) {
        return pool.preparedQuery(PURGE).execute(Tuple.of(utc(now), batchSize)).map(RowSet::rowCount);
    }

    private static StoredSession fromRow(Row row) {
        DocumentCodec.Document doc = DocumentCodec.readDocument(row.getString(7));
        Session session = new Session(
                new SessionId(row.getString(0), row.getString(1)),
                row.getLong(2),
                Status.fromWireName(row.getString(3)),
                doc.currency(), doc.landing(), doc.referrer(), doc.ip(),
                row.getString(4),
                doc.items(),
                doc.discounts().stream().map(DocumentCodec.StoredDiscount::toDiscount).toList(),
                doc.logs(),
                row.getOffsetDateTime(5).toInstant(),
                row.getOffsetDateTime(6).toInstant());
        return new StoredSession(session, DocumentCodec.readKeys(row.getString(8)));
    }

    private static DocumentCodec.Document document(Session s) {
        return new DocumentCodec.Document(s.currency(), s.landing(), s.referrer(), s.ip(), s.items(),
                s.discounts().stream().map(DocumentCodec.StoredDiscount::of).toList(), s.logs());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static <T> T first(RowSet<Row> rows, Function<Row, T> mapper) {
        var it = rows.iterator();
        return it.hasNext() ? mapper.apply(it.next()) : null;
    }

    private static <T> List<T> all(RowSet<Row> rows, Function<Row, T> mapper) {
        List<T> list = new ArrayList<>(rows.size());
        rows.forEach(row -> list.add(mapper.apply(row)));
        return list;
    }
}
