-- Part of bench/pg-parts.sh (see there): one spread change's database work, or a part of it.
-- Variables: -D store=demo -D prefix=bench-session- -D sessions=1000 (run with -M prepared).
-- As row-only.sql on session_lean: a copy of session with its primary key as its only index.
\set n random(1, :sessions)
SELECT s.version AS v, s.document::text AS doc, s.applied_keys::text AS ak FROM session_lean s
 WHERE s.store = :store AND s.key = :prefix || lpad(:n::text, 6, '0') \gset
WITH w AS (UPDATE session_lean SET version = :v + 1, status = 'open', member_id = NULL, updated_at = now(),
       expires_at = now() + interval '30 days', document = :doc::text::jsonb, applied_keys = :ak::text::jsonb,
       item_count = 20, log_next = log_next + 1
 WHERE store = :store AND key = :prefix || lpad(:n::text, 6, '0') AND version = :v RETURNING log_start, log_next)
SELECT count(*) FROM w;
