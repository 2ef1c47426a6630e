package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delivery queue as the courier works it, one statement per step so that every step is its own
 * transaction: fan events out into deliveries, claim the deliveries that may be sent now, record
 * what became of an attempt. Every replica runs these at once; row locks keep them apart.
 */
@ApplicationScoped
public class DeliveryQueue {

    /**
     * Fan-out: claims up to $1 subscriptions (the longest unvisited first, skipping those another
     * replica holds), inserts a delivery for each visible event after a subscription's cursor that
     * it wants (at most $2 per subscription), and moves the cursor past what was read: to the last
     * event taken when the limit was reached, else to just below the visibility horizon. Events are
     * read only below the horizon, so none can later commit behind a cursor.
     */
    private static final String FAN_OUT = """
            WITH sub AS (
                SELECT store, id, types, cursor
                  FROM webhook
                 ORDER BY fanned_at
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
                RETURNING 1)
            UPDATE webhook w
               SET fanned_at = clock_timestamp(),
                   cursor = greatest(w.cursor, CASE
                       WHEN (SELECT count(*) FROM ev WHERE ev.store = w.store AND ev.webhook_id = w.id) >= $2
                       THEN (SELECT max(event_id) FROM ev WHERE ev.store = w.store AND ev.webhook_id = w.id)
                       ELSE pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1000 - 1 END)
              FROM sub
             WHERE w.store = sub.store AND w.id = sub.id
            RETURNING (SELECT count(*) FROM ins)
            """.formatted(EventTable.VISIBLE);

    /**
     * Claims up to $1 due deliveries that are each the head of their (subscription, session) queue:
     * no earlier pending delivery of that session to that subscription, and not leased to anyone (a
     * lease left by a replica that died has run out). The lease ($2 ms) and claim token ($3) are
     * set in the same statement; rows another replica is claiming right now are skipped.
     */
    // The heads are found first, by one ordered pass over the pending queue index (DISTINCT ON), and
    // only then filtered for due and unleased and locked. (An anti-join "no earlier pending delivery
    // of the session" per candidate row was chosen a plan that ran into the statement timeout with
    // ~8,000 pending deliveries on 1,000 sessions, and delivery stopped: bench/webhooks.sh.)
    private static final String CLAIM = """
            WITH head AS (
                SELECT DISTINCT ON (store, webhook_id, session_key) store, webhook_id, event_id
                  FROM webhook_delivery
                 WHERE status = 'pending'
                 ORDER BY store, webhook_id, session_key, event_id),
            due AS (
                SELECT d.store, d.webhook_id, d.event_id
                  FROM webhook_delivery d JOIN head h USING (store, webhook_id, event_id)
                 WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                   AND (d.claimed_until IS NULL OR d.claimed_until <= now())
                 ORDER BY d.next_attempt_at, d.event_id
                 LIMIT $1
                   FOR UPDATE OF d SKIP LOCKED)
            UPDATE webhook_delivery d
               SET claimed_until = now() + $2 * interval '1 millisecond', claim = $3,
                   first_attempt_at = coalesce(d.first_attempt_at, now())
              FROM due JOIN webhook w ON w.store = due.store AND w.id = due.webhook_id
                   LEFT JOIN session_event ev ON ev.store = due.store AND ev.id = due.event_id
             WHERE d.store = due.store AND d.webhook_id = due.webhook_id AND d.event_id = due.event_id
            RETURNING d.store, d.webhook_id, d.event_id, d.session_key, d.event_at, d.attempts, w.url, w.secret,
                      ev.payload::text
            """;

    // Delivered: the row goes, if this replica still holds it. The subscription's last success is
    // moved at most once a second: a row lock per delivery on the one subscription row would
    // serialise a busy endpoint's deliveries and starve the fan-out, which skips locked rows.
    private static final String DELIVERED = """
            WITH done AS (
                DELETE FROM webhook_delivery
                 WHERE store = $1 AND webhook_id = $2 AND event_id = $3 AND claim = $4
                RETURNING store, webhook_id),
            noted AS (
                UPDATE webhook w SET last_success_at = now()
                  FROM done WHERE w.store = done.store AND w.id = done.webhook_id
                   AND (w.last_success_at IS NULL OR w.last_success_at < now() - interval '1 second'))
            SELECT count(*) FROM done
            """;

    // Failed attempt: due again after the backoff ($7 ms), but no later than the end of the retry
    // window ($8 ms after the first attempt); an attempt at or past that end gives the delivery up.
    private static final String ATTEMPT_FAILED = """
            WITH tried AS (
                UPDATE webhook_delivery
                   SET attempts = attempts + 1, last_attempt_at = now(), last_status = $5, last_error = $6,
                       claimed_until = NULL, claim = NULL,
                       status = CASE WHEN now() - first_attempt_at >= $8 * interval '1 millisecond'
                                     THEN 'failed' ELSE 'pending' END,
                       next_attempt_at = least(now() + $7 * interval '1 millisecond',
                                               first_attempt_at + $8 * interval '1 millisecond')
                 WHERE store = $1 AND webhook_id = $2 AND event_id = $3 AND claim = $4
                RETURNING store, webhook_id, status),
            noted AS (
                UPDATE webhook w SET last_failure_at = now(), last_failure_status = $5, last_failure_error = $6
                  FROM tried WHERE w.store = tried.store AND w.id = tried.webhook_id
                   AND (w.last_failure_at IS NULL OR w.last_failure_at < now() - interval '1 second'))
            SELECT status FROM tried
            """;

    private static final String BACKLOG = """
            SELECT count(*), coalesce(extract(epoch FROM now() - min(event_at)), 0)::float8
              FROM webhook_delivery WHERE status = 'pending'
            """;

    /** A delivery claimed for sending. {@code payload} is null if the event is no longer kept. */
    public record Claimed(String store, String webhookId, long eventId, String sessionKey, Instant eventAt,
            int attempts, String url, String secret, String payload, String claim) {

        /** The event as sent, or null if it is gone. */
        public String body() {
            return payload == null ? null : EventTable.render(eventId, payload);
        }
    }

    /** The pending deliveries and how long the oldest of their events has waited. */
    public record Backlog(long pending, double oldestAgeSeconds) {
    }

    private final Pool pool;

    public DeliveryQueue(Pool pool) {
        this.pool = pool;
    }

    /** One fan-out run; answers how many deliveries it queued. */
    public Uni<Long> fanOut(int subscriptions, int eventsEach) {
        return pool.preparedQuery(FAN_OUT).execute(Tuple.of(subscriptions, eventsEach)).map(rows -> {
            long queued = 0;
            for (var row : rows) {
                queued = row.getLong(0);
            }
            return queued;
        });
    }

    /** Claims up to {@code limit} deliveries that may be sent now, leased for {@code lease}. */
    public Uni<List<Claimed>> claim(int limit, Duration lease, String claim) {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(limit, lease.toMillis(), claim)).map(rows -> {
            List<Claimed> claimed = new ArrayList<>(rows.size());
            rows.forEach(row -> claimed.add(new Claimed(row.getString(0), row.getString(1), row.getLong(2),
                    row.getString(3), Subscriptions.instant(row, 4), row.getInteger(5), row.getString(6),
                    row.getString(7), row.getString(8), claim)));
            return claimed;
        });
    }

    /** Records a success; false if the claim had been lost (lease run out, subscription deleted). */
    public Uni<Boolean> delivered(Claimed delivery) {
        return pool.preparedQuery(DELIVERED)
                .execute(Tuple.of(delivery.store(), delivery.webhookId(), delivery.eventId(), delivery.claim()))
                .map(rows -> rows.iterator().next().getLong(0) > 0);
    }

    /**
     * Records a failed attempt ({@code status} the receiver's, null if none came back); answers
     * {@code "pending"} (to be retried), {@code "failed"} (given up) or null if the claim was lost.
     */
    public Uni<String> attemptFailed(Claimed delivery, Integer status, String error, Duration retryIn, Duration giveUpAfter) {
        Tuple values = Tuple.of(delivery.store(), delivery.webhookId(), delivery.eventId(), delivery.claim());
        values.addInteger(status);
        values.addString(error);
        values.addLong(retryIn.toMillis());
        values.addLong(giveUpAfter.toMillis());
        return pool.preparedQuery(ATTEMPT_FAILED).execute(values)
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    public Uni<Backlog> backlog() {
        return pool.query(BACKLOG).execute().map(rows -> {
            var row = rows.iterator().next();
            return new Backlog(row.getLong(0), row.getDouble(1));
        });
    }
}
