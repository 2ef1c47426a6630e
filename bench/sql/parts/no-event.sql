-- Part of bench/pg-parts.sh (see there): one spread change's database work, or a part of it.
-- Variables: -D store=demo -D prefix=bench-session- -D sessions=1000 (run with -M prepared).
-- As full.sql without the event (session_event).
\set n random(1, :sessions)
SELECT s.version AS v, s.document::text AS doc, s.applied_keys::text AS ak FROM session s
 WHERE s.store = :store AND s.key = :prefix || lpad(:n::text, 6, '0') \gset
WITH w AS (UPDATE session SET version = :v + 1, status = 'open', member_id = NULL, updated_at = now(),
       expires_at = now() + interval '30 days', document = :doc::text::jsonb, applied_keys = :ak::text::jsonb,
       item_count = 20, log_next = log_next + 1
 WHERE store = :store AND key = :prefix || lpad(:n::text, 6, '0') AND version = :v RETURNING log_start, log_next),
 l AS (INSERT INTO session_log AS o (store, key, chunk, entries)
        SELECT :store, :prefix || lpad(:n::text, 6, '0'), (w.log_next - 1) / 20, '{"at":1764032716276,"entry":"Selected RKT-6 x1"}' FROM w
        ON CONFLICT (store, key, chunk) DO UPDATE SET entries = o.entries || ',' || EXCLUDED.entries),
 t AS (DELETE FROM session_log o USING w WHERE o.store = :store AND o.key = :prefix || lpad(:n::text, 6, '0')
          AND o.chunk < greatest((w.log_next - 200) / 20, w.log_start / 20) AND (w.log_next - 1) / 20 * 20 >= w.log_next - 1)
SELECT count(*) FROM w;
