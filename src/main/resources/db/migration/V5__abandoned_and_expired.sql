-- Abandoned and expired carts (session.abandoned, session.expired), reported by a periodic scan
-- (session/store/CartScan), and the store-wide session query (GET /v1/stores/{store}/sessions).

-- The version at which the session was reported abandoned. Reporting sets it to the current version and
-- changes nothing else (the version does not move, the document is not rewritten); any later change moves
-- the version past it, which makes the session a candidate again after a new idle period.
ALTER TABLE session ADD COLUMN abandoned_version bigint;
-- Whether the session's expiry was reported (or needs none: a deleted session's tombstone). The purge
-- keeps an expired open session with lines until it is reported, for a bounded grace period.
ALTER TABLE session ADD COLUMN expiry_reported boolean NOT NULL DEFAULT false;

-- Sessions that were already idle or expired before events existed are not reported now: a deployment
-- would otherwise announce every old cart at once. (Sessions idle for less than the default threshold
-- are reported as usual.)
UPDATE session SET abandoned_version = version
 WHERE status = 'open' AND item_count > 0 AND updated_at < now() - interval '1 hour';
UPDATE session SET expiry_reported = true WHERE expires_at <= now() OR document = '{}'::jsonb;

-- The abandoned-cart scan: open sessions with lines not yet reported at their version, oldest change
-- first. Only unreported carts are in it, so it stays small.
CREATE INDEX session_abandoned_scan ON session (updated_at)
    WHERE status = 'open' AND item_count > 0 AND abandoned_version IS DISTINCT FROM version;

-- The expiry scan: open sessions with lines whose expiry is not reported, earliest expiry first.
CREATE INDEX session_expiry_scan ON session (expires_at)
    WHERE status = 'open' AND item_count > 0 AND NOT expiry_reported;

-- The store-wide query, most recently updated first with the key as tie-breaker (keyset pagination):
-- unfiltered, idleFor (a range on updated_at) and hasItems=false walk this one;
CREATE INDEX session_query_recent ON session (store, updated_at DESC, key DESC);
-- status=… (with any other filter);
CREATE INDEX session_query_status ON session (store, status, updated_at DESC, key DESC);
-- hasItems=true (carts; with status as a filter on the way);
CREATE INDEX session_query_with_items ON session (store, updated_at DESC, key DESC) WHERE item_count > 0;
-- memberId=… with or without status. It also serves a member's open sessions (sign-in merge, the member
-- listing), so it replaces the V1 index that served only those.
CREATE INDEX session_query_member ON session (store, member_id, updated_at DESC, key DESC)
    WHERE member_id IS NOT NULL;
DROP INDEX session_open_by_member;
