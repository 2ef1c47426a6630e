package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery queue as the courier works it, one statement per step so that every step is its own
 * transaction: fan events out into deliveries, claim the (subscription, session) queues that may be
 * sent now, and, while holding a queue's lease, record each attempt and take the queue's next
 * delivery. Every replica runs these at once; row locks and the lease keep them apart
 * ({@code V7__webhook_queue.sql}).
 */
@ApplicationScoped
public class DeliveryQueue {

    /**
     * A condition that is always true and, once evaluated, lets the statement's transaction commit
     * without waiting for its WAL to reach the disk (an uncorrelated subquery: evaluated once, before
     * any row it guards is written). Every statement of the courier has it: a commit lost to a
     * database crash only means a delivery sent again, or queued or claimed again (at least once
     * already allows that), and any later synchronous commit, such as a session's change, flushes it.
     */
    static final String ASYNC_COMMIT = "(SELECT set_config('synchronous_commit', 'off', true)) = 'off'";

    /**
     * Fan-out: claims up to $1 subscriptions (those of the stores in $3 first, then the longest
     * unvisited, skipping those another replica holds), inserts a delivery for each visible event after a subscription's cursor that
     * it wants (at most $2 per subscription), opens or extends each delivery's (subscription,
     * session) queue, and moves the cursor past what was read: to the last event taken when the
     * limit was reached, else to just below the visibility horizon. Events are read only below the
     * horizon, so none can later commit behind a cursor. Answers how many deliveries it queued and
     * whether transactions were running (then events already committed may be above the horizon).
     */
    private static final String FAN_OUT = """
            WITH sub AS (
                SELECT store, id, types, cursor
                  FROM webhook
                 WHERE %s
                 ORDER BY store = ANY ($3) DESC, fanned_at
                 LIMIT $1
                   FOR NO KEY UPDATE SKIP LOCKED),
            ev AS (
                SELECT sub.store, sub.id AS webhook_id, e.id AS event_id, e.session_key, e.type, e.at
                  FROM sub CROSS JOIN LATERAL (
                        SELECT id, session_key, type, at
                          FROM session_event
                         WHERE store = sub.store AND id > sub.cursor AND %s
                           AND (sub.types = '{*}' OR type = ANY (sub.types))
                         ORDER BY id
                         LIMIT $2) e),
            ins AS (
                INSERT INTO webhook_delivery (store, webhook_id, event_id, session_key, event_type, event_at, status, next_attempt_at)
                SELECT store, webhook_id, event_id, session_key, type, at, 'pending', now() FROM ev
                ON CONFLICT DO NOTHING
                RETURNING store, webhook_id, session_key),
            queued AS (
                INSERT INTO webhook_queue AS q (store, webhook_id, session_key, due_at, enqueued)
                SELECT store, webhook_id, session_key, now(), count(*) FROM ins GROUP BY store, webhook_id, session_key
                ON CONFLICT (store, webhook_id, session_key) DO UPDATE SET enqueued = q.enqueued + EXCLUDED.enqueued)
            UPDATE webhook w
               SET fanned_at = clock_timestamp(),
                   cursor = greatest(w.cursor, CASE
                       WHEN (SELECT count(*) FROM ev WHERE ev.store = w.store AND ev.webhook_id = w.id) >= $2
                       THEN (SELECT max(event_id) FROM ev WHERE ev.store = w.store AND ev.webhook_id = w.id)
                       ELSE pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1000 - 1 END)
              FROM sub
             WHERE w.store = sub.store AND w.id = sub.id
            RETURNING (SELECT count(*) FROM ins),
                      pg_snapshot_xmin(pg_current_snapshot()) <> pg_snapshot_xmax(pg_current_snapshot())
            """.formatted(ASYNC_COMMIT, EventTable.VISIBLE);

    /** A queue's first pending delivery, with what sending it needs, for each row of {@code q} (its queues); not event %s. */
    private static final String HEAD = """
            SELECT q.store, q.webhook_id, q.session_key, q.enqueued, h.event_id, h.event_at, h.attempts,
                   w.url, w.secret, ev.payload::text
              FROM q JOIN webhook w ON w.store = q.store AND w.id = q.webhook_id
              LEFT JOIN LATERAL (
                   SELECT d.event_id, d.event_at, d.attempts
                     FROM webhook_delivery d
                    WHERE d.store = q.store AND d.webhook_id = q.webhook_id AND d.session_key = q.session_key
                      AND d.status = 'pending' AND d.event_id <> %s
                    ORDER BY d.event_id
                    LIMIT 1) h ON true
              LEFT JOIN session_event ev ON ev.store = q.store AND ev.id = h.event_id
            """;

    /**
     * Claims up to $1 queues that are due and not leased (a lease left by a replica that died has run
     * out), at most $2 of one subscription less what this replica is already sending it ($3-$5:
     * store, subscription, runs), subscriptions in random order; sets the lease ($6 ms) and claim
     * token ($7) and answers each queue's head. Reads only due queues, at most $2 per subscription,
     * and updates them by their row address (they are locked: it cannot change): its cost follows
     * what it claims and the number of subscriptions, not the backlog.
     */
    private static final String CLAIM = """
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
                UPDATE webhook_queue SET claim = $7, due_at = now() + $6 * interval '1 millisecond'
                 WHERE ctid = ANY (ARRAY(SELECT ctid FROM pick))
                RETURNING store, webhook_id, session_key, enqueued)
            """.formatted(ASYNC_COMMIT) + HEAD.formatted("-1");

    /**
     * One step of a run, if the run still holds the queue ($1-$3, claim $4): the delivery of event $5
     * (-1: none) succeeded, so its row goes, and the queue's next delivery is answered. With a next
     * delivery, the lease is renewed ($6 ms) once half of it has passed (a renewal writes a new row
     * version: not on every step). Without one, the queue goes if nothing was queued since the run
     * last read its count ($7), and the run takes the subscription's next due queue instead (so a
     * run goes on from session to session without waiting for the next claim); if something was
     * queued, the run looks again. No row: the run is over (its queue is lost, or gone with nothing
     * else due). The subscription's last success is moved at most once a second, and never waits for
     * its row (the fan-out holds it while it extends queues: waiting could deadlock).
     */
    private static final String NEXT = """
            WITH held AS (
                SELECT store, webhook_id, session_key, enqueued, due_at
                  FROM webhook_queue
                 WHERE store = $1 AND webhook_id = $2 AND session_key = $3 AND claim = $4 AND %s
                   FOR NO KEY UPDATE),
            done AS (
                DELETE FROM webhook_delivery d USING held
                 WHERE d.store = held.store AND d.webhook_id = held.webhook_id AND d.event_id = $5
                RETURNING d.event_id),
            noted AS (
                UPDATE webhook w SET last_success_at = now()
                  FROM (SELECT store, id FROM webhook
                         WHERE store = $1 AND id = $2
                           AND (last_success_at IS NULL OR last_success_at < now() - interval '1 second')
                           FOR NO KEY UPDATE SKIP LOCKED) x
                 WHERE w.store = x.store AND w.id = x.id AND EXISTS (SELECT 1 FROM done)),
            more AS (
                SELECT EXISTS (SELECT 1 FROM webhook_delivery d JOIN held USING (store, webhook_id, session_key)
                                WHERE d.status = 'pending' AND d.event_id <> $5) AS pending),
            renewed AS (
                UPDATE webhook_queue wq SET due_at = now() + $6 * interval '1 millisecond'
                  FROM held, more
                 WHERE wq.store = held.store AND wq.webhook_id = held.webhook_id AND wq.session_key = held.session_key
                   AND more.pending AND held.due_at < now() + $6 * interval '0.5 millisecond'),
            gone AS (
                DELETE FROM webhook_queue wq USING held, more
                 WHERE wq.store = held.store AND wq.webhook_id = held.webhook_id AND wq.session_key = held.session_key
                   AND NOT more.pending AND wq.enqueued = $7
                RETURNING 1),
            another AS (
                SELECT ctid FROM webhook_queue
                 WHERE store = $1 AND webhook_id = $2 AND due_at <= now() AND EXISTS (SELECT 1 FROM gone)
                 ORDER BY due_at
                 LIMIT 1
                   FOR UPDATE SKIP LOCKED),
            taken AS (
                UPDATE webhook_queue SET claim = $4, due_at = now() + $6 * interval '1 millisecond'
                 WHERE ctid = ANY (ARRAY(SELECT ctid FROM another))
                RETURNING store, webhook_id, session_key, enqueued),
            q AS (
                SELECT store, webhook_id, session_key, enqueued FROM held WHERE NOT EXISTS (SELECT 1 FROM gone)
                UNION ALL
                SELECT store, webhook_id, session_key, enqueued FROM taken)
            """.formatted(ASYNC_COMMIT) + HEAD.formatted("$5");

    /**
     * A failed attempt ($6 the receiver's status, null if none; $7 the error) at event $5, begun $10
     * ms ago: due again after the backoff ($8 ms), but no later than the end of the retry window ($9
     * ms after the first attempt); an attempt at or past that end gives the delivery up. The queue is
     * released, due when its head is (at once, if the head was given up: the next event goes ahead).
     */
    private static final String ATTEMPT_FAILED = """
            WITH head AS (
                SELECT coalesce(first_attempt_at, now() - $10 * interval '1 millisecond') AS first
                  FROM webhook_delivery WHERE store = $1 AND webhook_id = $2 AND event_id = $5),
            plan AS (
                SELECT first, now() - first >= $9 * interval '1 millisecond' AS give_up,
                       least(now() + $8 * interval '1 millisecond', first + $9 * interval '1 millisecond') AS next
                  FROM head),
            q AS (
                UPDATE webhook_queue
                   SET claim = NULL,
                       due_at = coalesce((SELECT CASE WHEN give_up THEN now() ELSE next END FROM plan), now())
                 WHERE store = $1 AND webhook_id = $2 AND session_key = $3 AND claim = $4 AND %s
                RETURNING store, webhook_id),
            tried AS (
                UPDATE webhook_delivery d
                   SET attempts = attempts + 1, last_attempt_at = now(), last_status = $6, last_error = $7,
                       first_attempt_at = plan.first, next_attempt_at = plan.next,
                       status = CASE WHEN plan.give_up THEN 'failed' ELSE 'pending' END
                  FROM q, plan
                 WHERE d.store = q.store AND d.webhook_id = q.webhook_id AND d.event_id = $5
                RETURNING d.status),
            noted AS (
                UPDATE webhook w SET last_failure_at = now(), last_failure_status = $6, last_failure_error = $7
                  FROM (SELECT store, id FROM webhook
                         WHERE store = $1 AND id = $2
                           AND (last_failure_at IS NULL OR last_failure_at < now() - interval '1 second')
                           FOR NO KEY UPDATE SKIP LOCKED) x
                 WHERE w.store = x.store AND w.id = x.id AND EXISTS (SELECT 1 FROM tried))
            SELECT status FROM tried
            """.formatted(ASYNC_COMMIT);

    /** Gives back the queues of runs that will not go on (the replica is stopping): due at once. */
    private static final String RELEASE = """
            UPDATE webhook_queue SET claim = NULL, due_at = now() WHERE claim = ANY ($1) AND %s
            """.formatted(ASYNC_COMMIT);

    /**
     * A pending delivery without its queue would never be sent. None should exist (every statement
     * that queues a delivery opens its queue in the same transaction); this repairs any that do,
     * for instance queued by a replica of an earlier version during a rolling upgrade.
     */
    private static final String ADOPT = """
            INSERT INTO webhook_queue (store, webhook_id, session_key, due_at, enqueued)
            SELECT DISTINCT d.store, d.webhook_id, d.session_key, now(), 1
              FROM webhook_delivery d
             WHERE d.status = 'pending'
               AND NOT EXISTS (SELECT 1 FROM webhook_queue q
                                WHERE q.store = d.store AND q.webhook_id = d.webhook_id AND q.session_key = d.session_key)
            ON CONFLICT DO NOTHING
            """;

    private static final String BACKLOG = """
            SELECT count(*), coalesce(extract(epoch FROM now() - min(event_at)), 0)::float8
              FROM webhook_delivery WHERE status = 'pending'
            """;

    /** One (subscription, session) queue as claimed by a run ({@code claim} its token). */
    public record Queue(String store, String webhookId, String sessionKey, String claim) {
    }

    /** A delivery to send. {@code payload} is null if the event is no longer kept. */
    public record Delivery(long eventId, Instant eventAt, int attempts, String url, String secret, String payload) {

        /** The event as sent, or null if it is gone. */
        public String body() {
            return payload == null ? null : EventTable.render(eventId, payload);
        }
    }

    /**
     * Where a run stands: the queue it holds, how many deliveries that queue had ever been given when
     * this was read, and the delivery to send next (null: none was found, look again).
     */
    public record Step(Queue queue, long enqueued, Delivery next) {
    }

    /** The pending deliveries and how long the oldest of their events has waited. */
    public record Backlog(long pending, double oldestAgeSeconds) {
    }

    /** What one replica is sending to one subscription: {@code runs} queues at once. */
    public record Busy(String store, String webhookId, int runs) {
    }

    private final Pool pool;
    private final Permits permits;

    public DeliveryQueue(Pool pool, WebhookSettings settings,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this.pool = pool;
        this.permits = new Permits(settings.connections().orElse(poolSize * 2 / 5));
    }

    /**
     * What a fan-out did: how many deliveries it queued; whether transactions were running (then
     * events already committed may lie above its horizon); whether it reached its limits.
     */
    public record FannedOut(long queued, boolean heldBack, boolean full) {
    }

    /**
     * One fan-out run, {@code stores}' subscriptions first. (Like the claim, it does not wait for a
     * permit: a replica runs one pump at a time, and new work must not queue behind the runs' steps.)
     */
    public Uni<FannedOut> fanOut(int subscriptions, int eventsEach, String[] stores) {
        return pool.preparedQuery(FAN_OUT).execute(Tuple.of(subscriptions, eventsEach, stores)).map(rows -> {
            long queued = 0;
            boolean heldBack = false;
            for (var row : rows) {
                queued = row.getLong(0);
                heldBack |= row.getBoolean(1);
            }
            return new FannedOut(queued, heldBack, rows.size() >= subscriptions || queued >= eventsEach);
        });
    }

    /**
     * Claims up to {@code limit} due queues, leased for {@code lease}, at most {@code perSubscription}
     * of one subscription counting the runs in {@code busy}.
     */
    public Uni<List<Step>> claim(int limit, int perSubscription, List<Busy> busy, Duration lease, String claim) {
        Tuple values = Tuple.of(limit, perSubscription,
                busy.stream().map(Busy::store).toArray(String[]::new),
                busy.stream().map(Busy::webhookId).toArray(String[]::new),
                busy.stream().map(Busy::runs).toArray(Integer[]::new));
        values.addLong(lease.toMillis());
        values.addString(claim);
        return pool.preparedQuery(CLAIM).execute(values).map(rows -> steps(rows, claim));
    }

    /**
     * Records that {@code delivered} (null: nothing) was delivered and answers the run's next step
     * after {@code last}, on the same queue or, when that one is empty, on another due queue of the
     * same subscription; null when the run is over (nothing else is due, or it no longer holds its
     * queue: the lease ran out, or the subscription is gone).
     */
    public Uni<Step> next(Step last, Delivery delivered, Duration lease) {
        Queue queue = last.queue();
        Tuple values = Tuple.of(queue.store(), queue.webhookId(), queue.sessionKey(), queue.claim(),
                delivered == null ? -1L : delivered.eventId());
        values.addLong(lease.toMillis());
        values.addLong(last.enqueued());
        return permits.run(() -> pool.preparedQuery(NEXT).execute(values)).map(rows -> {
            List<Step> steps = steps(rows, queue.claim());
            return steps.isEmpty() ? null : steps.get(0);
        });
    }

    /**
     * Records a failed attempt ({@code status} the receiver's, null if none came back) that began
     * {@code took} ago, and releases the queue; answers {@code "pending"} (to be retried),
     * {@code "failed"} (given up) or null if the run no longer held the queue.
     */
    public Uni<String> attemptFailed(Queue queue, Delivery delivery, Integer status, String error, Duration took,
            Duration retryIn, Duration giveUpAfter) {
        Tuple values = Tuple.of(queue.store(), queue.webhookId(), queue.sessionKey(), queue.claim(), delivery.eventId());
        values.addInteger(status);
        values.addString(error);
        values.addLong(retryIn.toMillis());
        values.addLong(giveUpAfter.toMillis());
        values.addLong(took.toMillis());
        return permits.run(() -> pool.preparedQuery(ATTEMPT_FAILED).execute(values))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Gives back the queues claimed under {@code claims}, due at once; answers how many. */
    public Uni<Integer> release(List<String> claims) {
        return permits.run(() -> pool.preparedQuery(RELEASE).execute(Tuple.of((Object) claims.toArray(new String[0]))))
                .map(RowSet::rowCount);
    }

    /** Opens a queue for every pending delivery that has none; answers how many (0 unless something went wrong). */
    public Uni<Integer> adoptOrphans() {
        return permits.run(() -> pool.query(ADOPT).execute()).map(RowSet::rowCount);
    }

    public Uni<Backlog> backlog() {
        return permits.run(() -> pool.query(BACKLOG).execute()).map(rows -> {
            var row = rows.iterator().next();
            return new Backlog(row.getLong(0), row.getDouble(1));
        });
    }

    private static List<Step> steps(RowSet<Row> rows, String claim) {
        List<Step> steps = new ArrayList<>(rows.size());
        for (Row row : rows) {
            Queue queue = new Queue(row.getString(0), row.getString(1), row.getString(2), claim);
            Long eventId = row.getLong(4);
            Delivery next = eventId == null ? null : new Delivery(eventId, Subscriptions.instant(row, 5),
                    row.getInteger(6), row.getString(7), row.getString(8), row.getString(9));
            steps.add(new Step(queue, row.getLong(3), next));
        }
        return steps;
    }
}
