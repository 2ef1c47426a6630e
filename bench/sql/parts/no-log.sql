-- Part of bench/pg-parts.sh (see there): one spread change's database work, or a part of it.
-- Variables: -D store=demo -D prefix=bench-session- -D sessions=1000 (run with -M prepared).
-- The event's payload is a typical item.selected payload, in base64 because pgbench takes ":name" in a
-- literal for a variable.
-- As full.sql without the log entry (session_log).
\set n random(1, :sessions)
SELECT s.version AS v, s.document::text AS doc, s.applied_keys::text AS ak FROM session s
 WHERE s.store = :store AND s.key = :prefix || lpad(:n::text, 6, '0') \gset
WITH w AS (UPDATE session SET version = :v + 1, status = 'open', member_id = NULL, updated_at = now(),
       expires_at = now() + interval '30 days', document = :doc::text::jsonb, applied_keys = :ak::text::jsonb,
       item_count = 20, log_next = log_next + 1
 WHERE store = :store AND key = :prefix || lpad(:n::text, 6, '0') AND version = :v RETURNING log_start, log_next),
 e AS (INSERT INTO session_event (store, id, session_key, version, type, at, payload)
        SELECT :store, pg_current_xact_id()::text::bigint * 1000, :prefix || lpad(:n::text, 6, '0'), :v + 1, 'item.selected', now(),
               convert_from(decode('eyJ0eXBlIjoiaXRlbS5zZWxlY3RlZCIsInN0b3JlIjoiZGVtbyIsInNlc3Npb25LZXkiOiJiZW5jaC1zZXNzaW9uLTAwMDE2MSIsInZlcnNpb24iOjE4LCJhdCI6IjIwMjYtMTEtMjVUMDE6MDU6MTYuMjc2WiIsImRhdGEiOnsibGluZUlkIjoibDQiLCJza3UiOiJSS1QtNiIsIm5hbWUiOiJGYWxjb24gcm9ja2V0IiwicHJpY2UiOjE5Ljk5LCJxdWFudGl0eSI6MSwibGluZVF1YW50aXR5IjoyLCJhdHRyaWJ1dGVzIjp7fX0sInNlc3Npb24iOnsic3RhdHVzIjoib3BlbiIsIm1lbWJlcklkIjpudWxsLCJjdXJyZW5jeSI6IlVTRCIsIml0ZW1Db3VudCI6MTcsInN1YnRvdGFsIjozMzkuODMsImRpc2NvdW50VG90YWwiOjAuMDAsInRvdGFsIjozMzkuODN9fQ==', 'base64'), 'UTF8')::json FROM w)
SELECT count(*) FROM w;
