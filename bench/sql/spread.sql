-- pgbench ceiling for one "spread" change: the same database work the service does per change,
-- on session_copy (a copy of the service's rows with the same indexes). Read the row by its key
-- (the service's SELECT), write the document back with a version check (the service's UPDATE).
-- Variables: -D store=demo -D prefix=bench-session- -D sessions=1000 (run with -M prepared).
\set n random(1, :sessions)
SELECT store, key, version, status, member_id, created_at, updated_at,
       document::text AS document, applied_keys::text AS applied_keys
  FROM session_copy
 WHERE store = :store AND key = :prefix || lpad(:n::text, 6, '0') AND expires_at > now() \gset
UPDATE session_copy
   SET version = :version::bigint + 1, status = :status, member_id = NULLIF(:member_id, ''),
       updated_at = now(), expires_at = now() + interval '30 days',
       document = :document::text::jsonb, applied_keys = :applied_keys::text::jsonb
 WHERE store = :store AND key = :key AND version = :version::bigint;
