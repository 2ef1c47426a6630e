package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Status;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The store-wide session query: a store's live sessions, most recently updated first, filtered, one
 * keyset page at a time. The position after a page is the last row's {@code (updated_at, key)}, so a
 * row that does not change is neither repeated nor skipped however other rows move meanwhile. Every
 * filter combination walks one of the V5 indexes in this order (docs/events.md, "Store-wide query plans").
 */
@ApplicationScoped
public class SessionQuery {

    /** Which sessions: each part absent means "any". */
    public record Filter(Optional<Status> status, Optional<Boolean> hasItems, Optional<Duration> idleFor,
            Optional<String> memberId) {
        public static final Filter ANY = new Filter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A place in the order: pages continue after it. */
    public record Position(Instant updatedAt, String key) {
    }

    /** A session as listed, with when it expires. */
    public record Listed(Session session, Instant expiresAt) {
    }

    /** One page; {@code next} is present when more may follow. */
    public record Page(List<Listed> sessions, Optional<Position> next) {
    }

    private static final String COLUMNS = SessionTable.COLUMNS.replace("s.applied_keys::text", "'[]'::text")
            + ", s.expires_at";

    private final Pool pool;

    SessionQuery(Pool pool) {
        this.pool = pool;
    }

    /** Up to {@code limit} sessions of {@code store} live at {@code now} matching the filter, after {@code after}. */
    public Uni<Page> page(String store, Filter filter, Optional<Position> after, int limit, Instant now) {
        List<Object> params = new ArrayList<>();
        params.add(store);
        params.add(SessionTable.utc(now));
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS)
                .append(" FROM session s WHERE s.store = $1 AND s.expires_at > $2");
        // Status and hasItems are written into the statement (they are enum values, not client text), so
        // that the planner sees which partial index applies whatever plan it caches.
        filter.status().ifPresent(status -> sql.append(" AND s.status = '").append(status.wireName()).append('\''));
        filter.hasItems().ifPresent(has -> sql.append(has ? " AND s.item_count > 0" : " AND s.item_count = 0"));
        filter.memberId().ifPresent(member -> {
            params.add(member);
            sql.append(" AND s.member_id = $").append(params.size());
        });
        filter.idleFor().ifPresent(idle -> {
            params.add(SessionTable.utc(now.minus(idle)));
            sql.append(" AND s.updated_at <= $").append(params.size());
        });
        after.ifPresent(position -> {
            params.add(SessionTable.utc(position.updatedAt()));
            params.add(position.key());
            sql.append(" AND (s.updated_at, s.key) < ($").append(params.size() - 1).append(", $").append(params.size()).append(')');
        });
        params.add(limit + 1);
        sql.append(" ORDER BY s.updated_at DESC, s.key DESC LIMIT $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
            List<Listed> listed = new ArrayList<>(Math.min(rows.size(), limit));
            rows.forEach(row -> {
                if (listed.size() < limit) {
                    listed.add(new Listed(SessionTable.live(row).session(), row.getOffsetDateTime(11).toInstant()));
                }
            });
            Optional<Position> next = rows.size() > limit
                    ? Optional.of(position(listed.get(listed.size() - 1).session()))
                    : Optional.empty();
            return new Page(listed, next);
        });
    }

    private static Position position(Session last) {
        return new Position(last.updatedAt(), last.id().key());
    }
}
