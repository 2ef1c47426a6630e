package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import static com.redfour.shopping.event.webhook.DeliveryQueue.ASYNC_COMMIT;

/**
 * Fills the delivery queues: turns new events into deliveries, each in its (subscription, session)
 * queue, and opens a queue for any pending delivery left without one. The courier's pump calls the
 * fan-out; {@link DeliveryQueue} and {@link RunSteps} work the queues it fills.
 */
@ApplicationScoped
class FanOut {

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

    /**
     * What a fan-out did: how many deliveries it queued; whether transactions were running (then
     * events already committed may lie above its horizon); whether it reached its limits.
     */
    record FannedOut(long queued, boolean heldBack, boolean full) {
    }

    private final CourierConnections connections;

    FanOut(CourierConnections connections) {
        this.connections = connections;
    }

    /** One fan-out run, {@code stores}' subscriptions first (the pump's: it does not wait for a permit). */
    Uni<FannedOut> fanOut(int subscriptions, int eventsEach, String[] stores) {
        return connections.now(FAN_OUT, Tuple.of(subscriptions, eventsEach, stores)).map(rows -> {
            long queued = 0;
            boolean heldBack = false;
            for (var row : rows) {
                queued = row.getLong(0);
                heldBack |= row.getBoolean(1);
            }
            return new FannedOut(queued, heldBack, rows.size() >= subscriptions || queued >= eventsEach);
        });
    }

    /** Opens a queue for every pending delivery that has none; answers how many (0 unless something went wrong). */
    Uni<Integer> adoptOrphans() {
        return connections.inTurn(ADOPT).map(RowSet::rowCount);
    }
}
