-- pgbench ceiling for the "hot session": every client reads the one row and writes it back with a
-- version check, exactly like spread.sql but always on the same key. Row-lock waits serialise the
-- writes; a write whose version check fails (another client won) updates nothing, so the rate of
-- changes actually written is measured from the row's version, not from pgbench's tps.
-- Variables: -D store=demo -D hotkey=... (run with -M prepared).
SELECT store, key, version, status, member_id, created_at, updated_at,
       document::text AS document, applied_keys::text AS applied_keys
  FROM session_copy
 WHERE store = :store AND key = :hotkey AND expires_at > now() \gset
UPDATE session_copy
   SET version = :version::bigint + 1, status = :status, member_id = NULLIF(:member_id, ''),
       updated_at = now(), expires_at = now() + interval '30 days',
       document = :document::text::jsonb, applied_keys = :applied_keys::text::jsonb
 WHERE store = :store AND key = :key AND version = :version::bigint;
