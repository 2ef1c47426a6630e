-- The claim's index again, now partial (every row qualifies: due_at is NOT NULL), so that the planner
-- can use it only where a statement asks for due_at (the claim: due_at <= now()). A run's step finds
-- its own queue by (store, webhook_id, session_key); with the full index the planner, on a queue table
-- whose statistics say it is small (it empties and fills all the time), took the claim's index for
-- that lookup and read every queue of the subscription to find one (bench/webhooks.sh, auto_explain:
-- 53 buffers where the primary key reads 3). Dropped and created in one transaction; the table holds
-- one row per (subscription, session) with pending deliveries, so the lock is brief.
DROP INDEX webhook_queue_due;
CREATE INDEX webhook_queue_due ON webhook_queue (store, webhook_id, due_at) WHERE due_at IS NOT NULL;
