package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The delivery queue as the courier works it, one statement per step so that every step is its own
 * transaction: {@link FanOut} fills it; here the (subscription, session) queues that may be sent now
 * are claimed under a lease, and given back; {@link RunSteps} records each attempt and takes the
 * queue's next delivery while the lease is held. Every replica runs these at once; row locks and
 * the lease keep them apart ({@code V7__webhook_queue.sql}).
 */
@ApplicationScoped
class DeliveryQueue {

    /**
     * A condition that is always true and, once evaluated, lets the statement's transaction commit
     * without waiting for its WAL to reach the disk (an uncorrelated subquery: evaluated once, before
     * any row it guards is written). Every statement of the courier has it: a commit lost to a
     * database crash only means a delivery sent again, or queued or claimed again (at least once
     * already allows that), and any later synchronous commit, such as a session's change, flushes it.
     */
    static final String ASYNC_COMMIT = "(SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

    /**
     * A queue's first pending deliveries, oldest first, at most %2$s, with what sending them needs, for
     * each row of {@code q} (its queues; one row with no delivery for a queue with none); not the
     * events in the array %1$s.
     */
    static final String HEAD = """
            SELECT q.store, q.webhook_id, q.session_key, q.enqueued, h.event_id, h.event_at, h.attempts,
                   w.url, w.secret, ev.payload::text
              FROM q JOIN webhook w ON w.store = q.store AND w.id = q.webhook_id
              LEFT JOIN LATERAL (
                   SELECT d.event_id, d.event_at, d.attempts
                     FROM webhook_delivery d
                    WHERE d.store = q.store AND d.webhook_id = q.webhook_id AND d.session_key = q.session_key
                      AND d.status = 'pending' AND d.event_id <> ALL (%1$s)
                    ORDER BY d.event_id
                    LIMIT %2$s) h ON true
              LEFT JOIN session_event ev ON ev.store = q.store AND ev.id = h.event_id
            """;

    /**
     * Claims up to $1 queues that are due and not leased (a lease left by a replica that died has run
     * out), at most $2 of one subscription less what this replica is already sending it ($3-$5:
     * store, subscription, runs), subscriptions in random order; sets the lease ($6 ms) and claim
     * token ($7) and answers each queue's first $8 deliveries. Reads only due queues, at most $2 per
     * subscription, and updates them by their row address (they are locked: it cannot change): its
     * cost follows what it claims and hands out and the number of subscriptions, not the backlog.
     */
    static final String CLAIM = """
            WITH busy AS (
                SELECT * FROM unnest($3::text[], $4::text[], $5::int[]) AS b(store, webhook_id, runs)),
            pick AS (
                SELECT due.ctid
                  FROM (SELECT store, id FROM webhook ORDER BY random()) w
                  LEFT JOIN busy b ON b.store = w.store AND b.webhook_id = w.id
                 CROSS JOIN LATERAL (
                       SELECT ctid
                         FROM webhook_queue
                        WHERE store = w.store AND webhook_id = w.id AND due_at <= now() AND %s
                        ORDER BY due_at
                        LIMIT greatest(0, $2 - coalesce(b.runs, 0))
                          FOR UPDATE SKIP LOCKED) due
                 LIMIT $1),
            q AS (
                UPDATE webhook_queue wq SET claim = $7, due_at = now() + $6 * interval '1 millisecond'
                  FROM pick
                 WHERE wq.ctid = pick.ctid
                RETURNING wq.store, wq.webhook_id, wq.session_key, wq.enqueued)
            """.formatted(ASYNC_COMMIT) + HEAD.formatted("'{}'::bigint[]", "$8");

    /** Gives back the queues of runs that will not go on (the replica is stopping): due at once. */
    private static final String RELEASE = """
            UPDATE webhook_queue SET claim = NULL, due_at = now() WHERE claim = ANY ($1) AND %s
            """.formatted(ASYNC_COMMIT);

    /**
     * Clears the queue table's dead rows now rather than when autovacuum next comes by (by default a
     * minute apart): every claim and every emptied queue leaves a dead row version whose entry in
     * {@code webhook_queue_due} lies in the range the claim reads (due_at at or before now), so until
     * it is vacuumed each claim walks them all (bench/webhooks.sh measured 29-73 ms and 20,000-70,000
     * buffers per claim after a minute of full-speed deliveries). A replica's vacuum that finds
     * another's running skips the table.
     */
    private static final String VACUUM = "VACUUM (SKIP_LOCKED) webhook_queue";

    private static final String BACKLOG = """
            SELECT count(*), coalesce(extract(epoch FROM now() - min(event_at)), 0)::float8
              FROM webhook_delivery WHERE status = 'pending'
            """;

    /** One (subscription, session) queue as claimed by a run ({@code claim} its token). */
    record Queue(String store, String webhookId, String sessionKey, String claim) {
    }

    /** A delivery to send. {@code payload} is null if the event is no longer kept. */
    record Delivery(long eventId, Instant eventAt, int attempts, String url, String secret, String payload) {

        /** The event as sent, or null if it is gone. */
        String body() {
            return payload == null ? null : EventTable.render(eventId, payload);
        }
    }

    /**
     * Where a run stands: the queue it holds, how many deliveries that queue had ever been given when
     * this was read, and the deliveries to send next, in order (none found: look again).
     */
    record Step(Queue queue, long enqueued, List<Delivery> next) {
    }

    /** The pending deliveries and how long the oldest of their events has waited. */
    record Backlog(long pending, double oldestAgeSeconds) {
    }

    /** What one replica is sending to one subscription: {@code runs} queues at once. */
    record Busy(String store, String webhookId, int runs) {
    }

    private final CourierConnections connections;

    DeliveryQueue(CourierConnections connections) {
        this.connections = connections;
    }

    /**
     * Claims up to {@code limit} due queues, leased for {@code lease}, at most {@code perSubscription}
     * of one subscription counting the runs in {@code busy}, with up to {@code batch} deliveries of each
     * (the pump's: it does not wait for a permit).
     */
    Uni<List<Step>> claim(int limit, int perSubscription, List<Busy> busy, Duration lease, String claim, int batch) {
        Tuple values = Tuple.of(limit, perSubscription,
                busy.stream().map(Busy::store).toArray(String[]::new),
                busy.stream().map(Busy::webhookId).toArray(String[]::new),
                busy.stream().map(Busy::runs).toArray(Integer[]::new));
        values.addLong(lease.toMillis());
        values.addString(claim);
        values.addInteger(batch);
        return connections.now(CLAIM, values).map(rows -> steps(rows, claim));
    }

    /** Gives back the queues claimed under {@code claims}, due at once; answers how many. */
    Uni<Integer> release(List<String> claims) {
        return connections.inTurn(RELEASE, Tuple.of((Object) claims.toArray(new String[0]))).map(RowSet::rowCount);
    }

    /** Vacuums the queue table (see {@link #VACUUM}). */
    Uni<Void> vacuum() {
        return connections.inTurn(VACUUM).replaceWithVoid();
    }

    /** What waits in every queue, for the backlog gauges. */
    Uni<Backlog> backlog() {
        return connections.inTurn(BACKLOG).map(rows -> {
            var row = rows.iterator().next();
            return new Backlog(row.getLong(0), row.getDouble(1));
        });
    }

    /** The steps that rows of {@link #HEAD} describe, each on a queue held under {@code claim}. */
    static List<Step> steps(RowSet<Row> rows, String claim) {
        Map<Queue, Long> enqueued = new LinkedHashMap<>();
        Map<Queue, List<Delivery>> deliveries = new HashMap<>();
        for (Row row : rows) {
            Queue queue = new Queue(row.getString(0), row.getString(1), row.getString(2), claim);
            enqueued.putIfAbsent(queue, row.getLong(3));
            List<Delivery> next = deliveries.computeIfAbsent(queue, q -> new ArrayList<>());
            Long eventId = row.getLong(4);
            if (eventId != null) {
                next.add(new Delivery(eventId, Subscriptions.instant(row, 5), row.getInteger(6), row.getString(7),
                        row.getString(8), row.getString(9)));
            }
        }
        List<Step> steps = new ArrayList<>(enqueued.size());
        enqueued.forEach((queue, count) -> {
            List<Delivery> next = deliveries.get(queue);
            next.sort(Comparator.comparingLong(Delivery::eventId));
            steps.add(new Step(queue, count, List.copyOf(next)));
        });
        return steps;
    }
}
