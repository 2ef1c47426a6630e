package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.webhook.DeliveryQueue.Delivery;
import com.redfour.shopping.event.webhook.DeliveryQueue.Queue;
import com.redfour.shopping.event.webhook.DeliveryQueue.Step;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.List;

import static com.redfour.shopping.event.webhook.DeliveryQueue.ASYNC_COMMIT;
import static com.redfour.shopping.event.webhook.DeliveryQueue.HEAD;

/**
 * A run's steps on the queue it holds, each one statement under the lease its claim took (see
 * {@link DeliveryQueue}): a delivery that succeeded goes and the next is answered, or a failed attempt
 * is recorded and the queue released until its retry.
 */
@ApplicationScoped
class RunSteps {

    /**
     * One step of a run, if the run still holds the queue ($1-$3, claim $4): the deliveries of the
     * events in $5 (none, or those the run sent since its last step) succeeded, so their rows go, and
     * the queue's next deliveries are answered, at most $8. With a next delivery, the lease is renewed
     * ($6 ms) once half of it has passed (a renewal writes a new row version: not on every step).
     * Without one, the queue goes if nothing was queued since the run last read its count ($7), and the
     * run takes the subscription's next due queue instead (so a run goes on from session to session
     * without waiting for the next claim); if something was queued, the run looks again. No row: the
     * run is over (its queue is lost, or gone with nothing else due). The subscription's last success
     * is moved at most once a second, and never waits for its row (the fan-out holds it while it
     * extends queues: waiting could deadlock).
     */
    static final String NEXT = """
            WITH held AS (
                SELECT store, webhook_id, session_key, enqueued, due_at
                  FROM webhook_queue
                 WHERE store = $1 AND webhook_id = $2 AND session_key = $3 AND claim = $4 AND %s
                   FOR NO KEY UPDATE),
            done AS (
                DELETE FROM webhook_delivery d
                 WHERE d.store = $1 AND d.webhook_id = $2 AND d.session_key = $3 AND d.status = 'pending'
                   AND d.event_id = ANY ($5) AND EXISTS (SELECT 1 FROM held)
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
                                WHERE d.status = 'pending' AND d.event_id <> ALL ($5)) AS pending),
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
                 WHERE ctid = (SELECT ctid FROM another)
                RETURNING store, webhook_id, session_key, enqueued),
            q AS (
                SELECT store, webhook_id, session_key, enqueued FROM held WHERE NOT EXISTS (SELECT 1 FROM gone)
                UNION ALL
                SELECT store, webhook_id, session_key, enqueued FROM taken)
            """.formatted(ASYNC_COMMIT) + HEAD.formatted("$5", "$8");

    /**
     * A failed attempt ($6 the receiver's status, null if none; $7 the error) at event $5, begun $10
     * ms ago: due again after the backoff ($8 ms), but no later than the end of the retry window ($9
     * ms after the first attempt); an attempt at or past that end gives the delivery up. The queue is
     * released, due when its head is (at once, if the head was given up: the next event goes ahead).
     * The deliveries the run sent before it since its last step ($11) succeeded: their rows go.
     */
    static final String ATTEMPT_FAILED = """
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
            done AS (
                DELETE FROM webhook_delivery d
                 WHERE d.store = $1 AND d.webhook_id = $2 AND d.session_key = $3 AND d.status = 'pending'
                   AND d.event_id = ANY ($11) AND EXISTS (SELECT 1 FROM q)),
            noted AS (
                UPDATE webhook w SET last_failure_at = now(), last_failure_status = $6, last_failure_error = $7
                  FROM (SELECT store, id FROM webhook
                         WHERE store = $1 AND id = $2
                           AND (last_failure_at IS NULL OR last_failure_at < now() - interval '1 second')
                           FOR NO KEY UPDATE SKIP LOCKED) x
                 WHERE w.store = x.store AND w.id = x.id AND EXISTS (SELECT 1 FROM tried))
            SELECT status FROM tried
            """.formatted(ASYNC_COMMIT);

    private final CourierConnections connections;

    RunSteps(CourierConnections connections) {
        this.connections = connections;
    }

    /**
     * Records that the events {@code delivered} (perhaps none) were delivered and answers the run's next step
     * after {@code last}, on the same queue or, when that one is empty, on another due queue of the
     * same subscription; null when the run is over (nothing else is due, or it no longer holds its
     * queue: the lease ran out, or the subscription is gone).
     */
    Uni<Step> next(Step last, List<Long> delivered, Duration lease, int batch) {
        Queue queue = last.queue();
        Tuple values = Tuple.of(queue.store(), queue.webhookId(), queue.sessionKey(), queue.claim());
        values.addArrayOfLong(delivered.toArray(new Long[0]));
        values.addLong(lease.toMillis());
        values.addLong(last.enqueued());
        values.addInteger(batch);
        return connections.inTurn(NEXT, values).map(rows -> {
            List<Step> steps = DeliveryQueue.steps(rows, queue.claim());
            return steps.isEmpty() ? null : steps.get(0);
        });
    }

    /**
     * Records a failed attempt ({@code status} the receiver's, null if none came back) that began
     * {@code took} ago after the run had delivered {@code deliveredBefore} since its last step, and
     * releases the queue; answers {@code "pending"} (to be retried), {@code "failed"} (given up) or
     * null if the run no longer held the queue.
     */
    Uni<String> attemptFailed(Queue queue, Delivery delivery, Integer status, String error, Duration took,
            Duration retryIn, Duration giveUpAfter, List<Long> deliveredBefore) {
        Tuple values = Tuple.of(queue.store(), queue.webhookId(), queue.sessionKey(), queue.claim(), delivery.eventId());
        values.addInteger(status);
        values.addString(error);
        values.addLong(retryIn.toMillis());
        values.addLong(giveUpAfter.toMillis());
        values.addLong(took.toMillis());
        values.addArrayOfLong(deliveredBefore.toArray(new Long[0]));
        return connections.inTurn(ATTEMPT_FAILED, values)
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }
}
