package com.redfour.shopping.session.store;

import com.redfour.shopping.session.SessionId;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static com.redfour.shopping.session.store.SessionTable.utc;

/**
 * The {@code recovery_link} table (V8). Making a link is not a change of its session (the version does
 * not move), but it holds the session's row lock for its two statements, so that racing requests cannot
 * pass the limit of unexpired links together. A link is used only by a restore, in the restore's own
 * transaction ({@link SessionTable#save}).
 */
@ApplicationScoped
public class RecoveryLinkTable {

    private static final String LINK_COLUMNS = "l.store, l.id, l.session_key, l.session_created_at, l.campaign,"
            + " l.created_at, l.expires_at, l.used_at";

    // The session as a link is made for it, locked against writers until the link is in (the version
    // guard of a change would not see a link being made, and the limit needs one at a time).
    private static final String LOCK_SESSION = """
            SELECT s.created_at, s.expires_at > $3 AS live, s.document = '{}'::jsonb AS deleted, s.status, s.item_count
              FROM session s WHERE s.store = $1 AND s.key = $2 FOR NO KEY UPDATE""";

    // Expired links that were never used are dropped as a new one is made, so a session's links stay few.
    private static final String INSERT = """
            WITH pruned AS (DELETE FROM recovery_link
                             WHERE store = $1 AND session_key = $2 AND expires_at <= $7 AND used_at IS NULL)
            INSERT INTO recovery_link (store, id, token_hash, session_key, session_created_at, campaign, created_at, expires_at)
            SELECT $1, $3, $4, $2, $5, $6, $7, $8
             WHERE (SELECT count(*) FROM recovery_link
                     WHERE store = $1 AND session_key = $2 AND expires_at > $7) < $9""";

    private static final String FIND = "SELECT " + LINK_COLUMNS
            + " FROM recovery_link l WHERE l.token_hash = $1 AND l.store = $2";

    private static final String LIST = "SELECT " + LINK_COLUMNS + """
             FROM recovery_link l
            WHERE l.store = $1 AND l.session_key = $2 AND l.session_created_at = $3
            ORDER BY l.created_at, l.id""";

    private static final String USE = """
            UPDATE recovery_link SET used_at = $3
             WHERE store = $1 AND id = $2 AND used_at IS NULL""";

    /** What asking for a new link came to. */
    public sealed interface Made {
    }

    /** The link was made. */
    public record Link(RecoveryLink link) implements Made {
    }

    /** There is no live session: it never existed or was deleted ({@code expired} false), or it expired. */
    public record NoSession(boolean expired) implements Made {
    }

    /** The session is not open, or has no line: there is no cart to give back. */
    public record NothingToRecover() implements Made {
    }

    /** The session has as many unexpired links as it may have. */
    public record TooMany() implements Made {
    }

    private final Pool pool;

    public RecoveryLinkTable(Pool pool) {
        this.pool = pool;
    }

    /**
     * Makes a link to the session {@code id}, found by {@code tokenHash}, unless the session has
     * {@code maxLive} unexpired links already.
     */
    public Uni<Made> make(SessionId id, String linkId, String tokenHash, String campaign, Instant now, Instant expiresAt,
            int maxLive) {
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK_SESSION).execute(Tuple.of(id.store(), id.key(), utc(now)))
                .flatMap(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Uni.createFrom().<Made>item(new NoSession(false));
                    }
                    var session = it.next();
                    if (!session.getBoolean(1)) {
                        return Uni.createFrom().<Made>item(new NoSession(!session.getBoolean(2)));
                    }
                    if (!"open".equals(session.getString(3)) || session.getInteger(4) == 0) {
                        return Uni.createFrom().<Made>item(new NothingToRecover());
                    }
                    Instant sessionCreatedAt = session.getOffsetDateTime(0).toInstant();
                    Tuple values = Tuple.tuple(List.of(id.store(), id.key(), linkId, tokenHash, utc(sessionCreatedAt)))
                            .addValue(campaign).addValue(utc(now)).addValue(utc(expiresAt)).addValue(maxLive);
                    return tx.preparedQuery(INSERT).execute(values).map(inserted -> inserted.rowCount() == 0
                            ? new TooMany()
                            : new Link(new RecoveryLink(id.store(), linkId, id.key(), sessionCreatedAt, campaign, now,
                                    expiresAt, null)));
                }));
    }

    /** The store's link whose token has this hash. */
    public Uni<Optional<RecoveryLink>> find(String store, String tokenHash) {
        return pool.preparedQuery(FIND).execute(Tuple.of(tokenHash, store)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(link(it.next())) : Optional.empty();
        });
    }

    /** The links made for the session that was created at {@code sessionCreatedAt}, oldest first. */
    public Uni<List<RecoveryLink>> list(SessionId id, Instant sessionCreatedAt) {
        return pool.preparedQuery(LIST).execute(Tuple.of(id.store(), id.key(), utc(sessionCreatedAt))).map(rows -> {
            List<RecoveryLink> links = new ArrayList<>(rows.size());
            rows.forEach(row -> links.add(link(row)));
            return links;
        });
    }

    /** Marks the link used, within a restore's transaction; false when someone used it first. */
    static Uni<Boolean> use(SqlClient tx, SourceWrite.LinkUse use) {
        return tx.preparedQuery(USE).execute(Tuple.of(use.store(), use.linkId(), utc(use.at())))
                .map(rows -> rows.rowCount() == 1);
    }

    private static RecoveryLink link(io.vertx.mutiny.sqlclient.Row row) {
        return new RecoveryLink(row.getString(0), row.getString(1), row.getString(2), instant(row.getOffsetDateTime(3)),
                row.getString(4), instant(row.getOffsetDateTime(5)), instant(row.getOffsetDateTime(6)),
                instant(row.getOffsetDateTime(7)));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
