-- Test data for docs/events.md, "Store-wide query plans": run from the repository root (the \i paths are relative to it).
DROP SCHEMA IF EXISTS query_plans CASCADE;
CREATE SCHEMA query_plans;
SET search_path = query_plans;
\i src/main/resources/db/migration/V1__sessions.sql
\i src/main/resources/db/migration/V3__session_events.sql
\i src/main/resources/db/migration/V5__abandoned_and_expired.sql
-- 100,000 sessions: 90,000 in store 'big', 10,000 in 'small'; updated over the last 30 days;
-- 80% open, 15% closed, 5% merged; 30% with items; 20% signed in (5,000 members).
INSERT INTO session (store, key, version, status, member_id, created_at, updated_at, expires_at, document, item_count,
                     abandoned_version, expiry_reported)
SELECT CASE WHEN i % 10 = 0 THEN 'small' ELSE 'big' END,
       md5(i::text),
       3,
       CASE WHEN r1 < 0.05 THEN 'merged' WHEN r1 < 0.20 THEN 'closed' ELSE 'open' END,
       CASE WHEN i % 5 = 0 THEN 'm' || (i % 5000) END,
       u - interval '10 minutes', u, u + interval '30 days',
       '{"currency":"USD","landing":"/","items":[],"discounts":[],"logs":[]}',
       CASE WHEN r2 < 0.30 THEN 2 ELSE 0 END,
       CASE WHEN u < now() - interval '2 hours' THEN 3 END,
       false
  FROM generate_series(1, 100000) AS i,
       LATERAL (SELECT now() - (random() * interval '30 days') AS u, random() + i * 0 AS r1, random() + i * 0 AS r2) t;
ANALYZE session;
