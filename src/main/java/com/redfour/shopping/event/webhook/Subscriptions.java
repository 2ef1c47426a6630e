package com.redfour.shopping.event.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code webhook} table and what the API shows of the delivery queue: saving, reading and
 * removing subscriptions, listing a subscription's deliveries, and putting one back in the queue.
 */
@ApplicationScoped
public class Subscriptions {

    /** Every event type: the subscription's {@code types} is exactly this. */
    public static final String ALL_TYPES = "*";

    /** A subscription as stored, with its delivery state. */
    public record Subscription(String store, String id, String url, List<String> types, String description,
            Instant createdAt, Instant updatedAt, long pending, long failed, Instant lastSuccessAt,
            Instant lastFailureAt, Integer lastFailureStatus, String lastFailureError) {
    }

    /** The result of a save: the subscription, whether it was created, and the secret when it was. */
    public record Saved(Subscription subscription, boolean created, String secret) {
    }

    /** One event's delivery to one subscription, as listed. */
    public record Delivery(long eventId, String sessionKey, String type, Instant eventAt, String status, int attempts,
            Instant firstAttemptAt, Instant lastAttemptAt, Instant nextAttemptAt, Integer lastStatus, String lastError) {
    }

    private static final String VIEW = """
            SELECT w.store, w.id, w.url, w.types, w.description, w.created_at, w.updated_at,
                   (SELECT count(*) FROM webhook_delivery d
                     WHERE d.store = w.store AND d.webhook_id = w.id AND d.status = 'pending') AS pending,
                   (SELECT count(*) FROM webhook_delivery d
                     WHERE d.store = w.store AND d.webhook_id = w.id AND d.status = 'failed') AS failed,
                   w.last_success_at, w.last_failure_at, w.last_failure_status, w.last_failure_error
              FROM webhook w
            """;

    // A new subscription starts at the outbox's visibility horizon: it receives every event that
    // becomes visible after it was created (and possibly a few that committed just before).
    private static final String SAVE = """
            INSERT INTO webhook AS w (store, id, url, types, description, secret, created_at, updated_at, cursor, fanned_at)
            VALUES ($1, $2, $3, $4, $5, $6, now(), now(),
                    pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1000 - 1, now())
            ON CONFLICT (store, id) DO UPDATE
               SET url = EXCLUDED.url, types = EXCLUDED.types, description = EXCLUDED.description, updated_at = now()
            RETURNING (xmax = 0) AS created
            """;

    // Removing a subscription takes its locks in the courier's order, so that it cannot deadlock with
    // a fan-out (subscription row, then queues) or a run (queue, then delivery): the subscription row
    // first (no fan-out of it can start or be under way), then its queues (every run on them ends),
    // then the row itself with its deliveries (cascade).
    private static final String LOCK = "SELECT 1 FROM webhook WHERE store = $1 AND id = $2 FOR UPDATE";
    private static final String DELETE_QUEUES = "DELETE FROM webhook_queue WHERE store = $1 AND webhook_id = $2";
    private static final String DELETE = "DELETE FROM webhook WHERE store = $1 AND id = $2";

    private static final String DELIVERIES = """
            SELECT event_id, session_key, event_type, event_at, status, attempts, first_attempt_at, last_attempt_at,
                   next_attempt_at, last_status, last_error
              FROM webhook_delivery
             WHERE store = $1 AND webhook_id = $2 AND status = ANY ($3) AND event_id > $4
             ORDER BY event_id
             LIMIT $5
            """;

    // The retried event's (subscription, session) queue, opened or counted one more, and due now
    // unless a run holds it (that run takes the delivery in its turn). First, so that the queue's row
    // is locked before the delivery's, in the order the courier locks them (V7__webhook_queue.sql).
    private static final String QUEUE = """
            INSERT INTO webhook_queue AS q (store, webhook_id, session_key, due_at, enqueued)
            SELECT w.store, w.id, k.session_key, now(), 1
              FROM webhook w CROSS JOIN LATERAL (
                    SELECT session_key FROM webhook_delivery WHERE store = w.store AND webhook_id = w.id AND event_id = $3
                    UNION
                    SELECT session_key FROM session_event WHERE store = w.store AND id = $3) k
             WHERE w.store = $1 AND w.id = $2
            ON CONFLICT (store, webhook_id, session_key) DO UPDATE
               SET enqueued = q.enqueued + 1, due_at = CASE WHEN q.claim IS NULL THEN least(q.due_at, now()) ELSE q.due_at END
            """;

    // A delivery still in the queue goes back to pending, due now, with a fresh retry window.
    private static final String REQUEUE = """
            UPDATE webhook_delivery
               SET status = 'pending', next_attempt_at = now(), attempts = 0, first_attempt_at = NULL
             WHERE store = $1 AND webhook_id = $2 AND event_id = $3
            RETURNING event_id
            """;

    // An event already delivered (its row is gone) is queued again, if the subscription has passed
    // it and still wants its type and the event is still kept.
    private static final String REDELIVER = """
            INSERT INTO webhook_delivery (store, webhook_id, event_id, session_key, event_type, event_at, status, next_attempt_at)
            SELECT e.store, w.id, e.id, e.session_key, e.type, e.at, 'pending', now()
              FROM webhook w JOIN session_event e ON e.store = w.store AND e.id = $3
             WHERE w.store = $1 AND w.id = $2 AND e.id <= w.cursor
               AND (w.types = '{*}' OR e.type = ANY (w.types))
            ON CONFLICT DO NOTHING
            RETURNING event_id
            """;

    private final Pool pool;

    public Subscriptions(Pool pool) {
        this.pool = pool;
    }

    /** Creates or replaces the subscription {@code id}; a new one gets {@code newSecret}, a replaced one keeps its own. */
    public Uni<Saved> save(String store, String id, String url, List<String> types, String description, String newSecret) {
        return pool.preparedQuery(SAVE)
                .execute(Tuple.of(store, id, url, types.toArray(new String[0]), description, newSecret))
                .map(rows -> rows.iterator().next().getBoolean(0))
                .flatMap(created -> find(store, id).map(found -> new Saved(found.orElseThrow(), created,
                        created ? newSecret : null)));
    }

    public Uni<Optional<Subscription>> find(String store, String id) {
        return pool.preparedQuery(VIEW + " WHERE w.store = $1 AND w.id = $2").execute(Tuple.of(store, id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(subscription(rows.iterator().next())));
    }

    public Uni<List<Subscription>> list(String store) {
        return pool.preparedQuery(VIEW + " WHERE w.store = $1 ORDER BY w.id").execute(Tuple.of(store))
                .map(Subscriptions::subscriptions);
    }

    /** Removes the subscription and its queue; false if there was none. */
    public Uni<Boolean> delete(String store, String id) {
        Tuple key = Tuple.of(store, id);
        return pool.withTransaction(tx -> tx.preparedQuery(LOCK).execute(key)
                .flatMap(locked -> tx.preparedQuery(DELETE_QUEUES).execute(key))
                .flatMap(queuesGone -> tx.preparedQuery(DELETE).execute(key))
                .map(rows -> rows.rowCount() > 0));
    }

    /** Deliveries of one subscription with one of {@code statuses}, after {@code after}, oldest event first. */
    public Uni<List<Delivery>> deliveries(String store, String id, List<String> statuses, long after, int limit) {
        return pool.preparedQuery(DELIVERIES)
                .execute(Tuple.of(store, id, statuses.toArray(new String[0]), after, limit))
                .map(rows -> {
                    List<Delivery> list = new ArrayList<>(rows.size());
                    rows.forEach(row -> list.add(delivery(row)));
                    return list;
                });
    }

    /**
     * Puts the delivery of {@code eventId} back in the queue, due now: a failed or pending one as it
     * is, a delivered one anew. False if the subscription never had that event or it is no longer kept.
     */
    public Uni<Boolean> retry(String store, String id, long eventId) {
        Tuple key = Tuple.of(store, id, eventId);
        return pool.withTransaction(tx -> tx.preparedQuery(QUEUE).execute(key)
                .flatMap(queued -> tx.preparedQuery(REQUEUE).execute(key))
                .flatMap(requeued -> requeued.rowCount() > 0
                        ? Uni.createFrom().item(true)
                        : tx.preparedQuery(REDELIVER).execute(key).map(inserted -> inserted.rowCount() > 0)));
    }

    /** One delivery, as listed. */
    public Uni<Optional<Delivery>> delivery(String store, String id, long eventId) {
        return pool.preparedQuery(DELIVERIES.replace("event_id > $4", "event_id = $4"))
                .execute(Tuple.of(store, id, new String[] {"pending", "failed"}, eventId, 1))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(delivery(rows.iterator().next())));
    }

    private static List<Subscription> subscriptions(RowSet<Row> rows) {
        List<Subscription> list = new ArrayList<>(rows.size());
        rows.forEach(row -> list.add(subscription(row)));
        return list;
    }

    private static Subscription subscription(Row row) {
        return new Subscription(row.getString(0), row.getString(1), row.getString(2),
                Arrays.asList(row.getArrayOfStrings(3)), row.getString(4), instant(row, 5), instant(row, 6),
                row.getLong(7), row.getLong(8), instant(row, 9), instant(row, 10), row.getInteger(11), row.getString(12));
    }

    private static Delivery delivery(Row row) {
        return new Delivery(row.getLong(0), row.getString(1), row.getString(2), instant(row, 3), row.getString(4),
                row.getInteger(5), instant(row, 6), instant(row, 7), instant(row, 8), row.getInteger(9), row.getString(10));
    }

    static Instant instant(Row row, int column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
