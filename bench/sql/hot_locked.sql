-- pgbench ceiling for the "hot session", strictly serialised: the read takes the row lock
-- (SELECT ... FOR UPDATE) inside a transaction, so every transaction writes exactly one version.
-- Variables: -D store=demo -D hotkey=... (run with -M prepared).
BEGIN;
SELECT store, key, version, status, member_id, created_at, updated_at,
       document::text AS document, applied_keys::text AS applied_keys
  FROM session_copy
 WHERE store = :store AND key = :hotkey AND expires_at > now() FOR UPDATE \gset
UPDATE session_copy
   SET version = :version::bigint + 1, status = :status, member_id = NULLIF(:member_id, ''),
       updated_at = now(), expires_at = now() + interval '30 days',
       document = :document::text::jsonb, applied_keys = :applied_keys::text::jsonb
 WHERE store = :store AND key = :key AND version = :version::bigint;
COMMIT;
