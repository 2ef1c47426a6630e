-- The delivery queue of each (subscription, session), one row while it has pending deliveries
-- (event/webhook, docs/webhooks.md "How it works"). A replica claims a queue, not a delivery: it
-- holds the queue's lease while it sends that session's deliveries one after another, oldest first,
-- so a busy session's events go out as fast as its receiver answers, one request at a time, and the
-- claim reads only queues that are due (never the whole backlog).
--
-- due_at: when the queue may be claimed next. Now, for new work; the head delivery's next attempt,
--   after a failure; the end of the lease, while claimed (every step of a run moves it on).
-- claim: the token of the run that holds it (null: nobody).
-- enqueued: how many deliveries were ever queued here. A run that finds the queue empty deletes it
--   only if this is still the number it read with the empty queue, so a delivery queued meanwhile
--   (by the fan-out, or a retry through the API) is never left without its queue.
CREATE TABLE webhook_queue (
    store        text        NOT NULL,
    webhook_id   text        NOT NULL,
    session_key  text        NOT NULL,
    due_at       timestamptz NOT NULL,
    claim        text,
    enqueued     bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (store, webhook_id, session_key),
    FOREIGN KEY (store, webhook_id) REFERENCES webhook (store, id) ON DELETE CASCADE
);

-- Both queue tables turn over a row or two per delivery: vacuum them after a fixed number of dead
-- rows rather than a fifth of their (small) size, without the cost-based pauses.
ALTER TABLE webhook_queue SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                               autovacuum_vacuum_cost_delay = 0);
ALTER TABLE webhook_delivery SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000,
                                  autovacuum_vacuum_cost_delay = 0);

-- The claim: per subscription, its queues that are due, soonest first.
CREATE INDEX webhook_queue_due ON webhook_queue (store, webhook_id, due_at);

-- Every pending delivery gets its queue, due when its head was.
INSERT INTO webhook_queue (store, webhook_id, session_key, due_at, enqueued)
SELECT store, webhook_id, session_key, min(next_attempt_at), count(*)
  FROM webhook_delivery
 WHERE status = 'pending'
 GROUP BY store, webhook_id, session_key;

-- The lease moved to the queue. Dropping the delivery's lease columns also stops a replica still
-- running the previous version from sending during a rolling upgrade (its claim statement fails and
-- it logs that delivery could not run), so two versions never send one session's events at once.
ALTER TABLE webhook_delivery DROP COLUMN claimed_until, DROP COLUMN claim;

-- A queue's deliveries in order: the run's next delivery, and the claim's head.
-- (webhook_delivery_queue, V4, already is that index: (store, webhook_id, session_key, event_id) WHERE pending.)
DROP INDEX webhook_delivery_due;
