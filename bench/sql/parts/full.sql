-- Part of bench/pg-parts.sh (see there): one spread change's database work, or a part of it.
-- Variables: -D store=demo -D prefix=bench-session- -D sessions=1000 (run with -M prepared).
-- The event's payload is a typical item.selected payload, in base64 because pgbench takes ":name" in a
-- literal for a variable.
-- The service's read and its write statement (SessionTable LOAD without the log, UPDATE with its event and log entry).
\set n random(1, :sessions)
SELECT s.version AS v, s.document::text AS doc, s.applied_keys::text AS ak FROM session s
 WHERE s.store = :store AND s.key = :prefix || lpad(:n::text, 6, '0') \gset
WITH w AS (UPDATE session SET version = :v + 1, status = 'open', member_id = NULL, updated_at = now(),
       expires_at = now() + interval '30 days', document = :doc::text::jsonb, applied_keys = :ak::text::jsonb,
       item_count = 20, log_next = log_next + 1
 WHERE store = :store AND key = :prefix || lpad(:n::text, 6, '0') AND version = :v RETURNING log_start, log_next),
 e AS (INSERT INTO session_event (store, id, session_key, version, type, at, payload)
        SELECT :store, pg_current_xact_id()::text::bigint * 1000, :prefix || lpad(:n::text, 6, '0'), :v + 1, 'item.selected', now(),
               convert_from(decode('eyJ0eXBlIjoiaXRlbS5zZWxlY3RlZCIsInN0b3JlIjoiZGVtbyIsInNlc3Npb25LZXkiOiJiZW5jaC1zZXNzaW9uLTAwMDE2MSIsInZlcnNpb24iOjE4LCJhdCI6IjIwMjYtMTEtMjVUMDE6MDU6MTYuMjc2WiIsImRhdGEiOnsibGluZUlkIjoibDQiLCJza3UiOiJSS1QtNiIsIm5hbWUiOiJGYWxjb24gcm9ja2V0IiwicHJpY2UiOjE5Ljk5LCJxdWFudGl0eSI6MSwibGluZVF1YW50aXR5IjoyLCJhdHRyaWJ1dGVzIjp7fX0sInNlc3Npb24iOnsic3RhdHVzIjoib3BlbiIsIm1lbWJlcklkIjpudWxsLCJjdXJyZW5jeSI6IlVTRCIsIml0ZW1Db3VudCI6MTcsInN1YnRvdGFsIjozMzkuODMsImRpc2NvdW50VG90YWwiOjAuMDAsInRvdGFsIjozMzkuODN9fQ==', 'base64'), 'UTF8')::json FROM w),
 l AS (INSERT INTO session_log AS o (store, key, chunk, entries)
        SELECT :store, :prefix || lpad(:n::text, 6, '0'), (w.log_next - 1) / 20, '{"at":1764032716276,"entry":"Selected RKT-6 x1"}' FROM w
        ON CONFLICT (store, key, chunk) DO UPDATE SET entries = o.entries || ',' || EXCLUDED.entries),
 t AS (DELETE FROM session_log o USING w WHERE o.store = :store AND o.key = :prefix || lpad(:n::text, 6, '0')
          AND o.chunk < greatest((w.log_next - 200) / 20, w.log_start / 20) AND (w.log_next - 1) / 20 * 20 >= w.log_next - 1)
SELECT count(*) FROM w;
