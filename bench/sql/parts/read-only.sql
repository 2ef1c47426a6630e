-- Part of bench/pg-parts.sh (see there): one spread change's database work, or a part of it.
-- Variables: -D store=demo -D prefix=bench-session- -D sessions=1000 (run with -M prepared).
-- The read alone.
\set n random(1, :sessions)
SELECT s.version AS v, s.document::text AS doc, s.applied_keys::text AS ak FROM session s
 WHERE s.store = :store AND s.key = :prefix || lpad(:n::text, 6, '0') \gset
