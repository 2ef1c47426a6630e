#!/bin/bash
# Usage (from the repository root): psql -h 127.0.0.1 -U postgres -d test -f bench/query-plans/data.sql && bench/query-plans/explain.sh
# Runs the service's query shapes against query_plans (100k sessions) and prints their plans.
q() {
  echo "### $1"
  echo '```'
  echo "$2" | sed 's/^ *//'
  echo '```'
  echo '```'
  psql -h 127.0.0.1 -U postgres -d test -X -q -At <<SQL
SET search_path = query_plans;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) $2;
SQL
  echo '```'
  echo
}
SEL="SELECT store, key, version, status, member_id, created_at, updated_at, document::text, '[]'::text, expires_at FROM session WHERE store = 'big' AND expires_at > now()"
ORD="ORDER BY updated_at DESC, key DESC LIMIT 51"
CUR="AND (updated_at, key) < (now() - interval '15 days', 'ffff')"
q "No filter (first page)" "$SEL $ORD"
q "No filter, a later page (cursor)" "$SEL $CUR $ORD"
q "status=open" "$SEL AND status = 'open' $ORD"
q "status=closed, a later page" "$SEL AND status = 'closed' $CUR $ORD"
q "status=merged" "$SEL AND status = 'merged' $ORD"
q "hasItems=true" "$SEL AND item_count > 0 $ORD"
q "hasItems=false" "$SEL AND item_count = 0 $ORD"
q "idleFor=P7D" "$SEL AND updated_at <= now() - interval '7 days' $ORD"
q "memberId=m1005" "$SEL AND member_id = 'm1005' $ORD"
q "memberId=m1005&status=open" "$SEL AND status = 'open' AND member_id = 'm1005' $ORD"
q "status=open&hasItems=true&idleFor=PT1H (the recovery e-mail list)" "$SEL AND status = 'open' AND item_count > 0 AND updated_at <= now() - interval '1 hour' $ORD"
q "status=open&hasItems=true&idleFor=PT1H, a later page" "$SEL AND status = 'open' AND item_count > 0 AND updated_at <= now() - interval '1 hour' $CUR $ORD"
q "Abandoned-cart scan (CartScan, batch 200)" "SELECT store, key, version FROM session WHERE status = 'open' AND item_count > 0 AND abandoned_version IS DISTINCT FROM version AND updated_at <= now() - interval '1 hour' AND expires_at > now() ORDER BY updated_at LIMIT 200"
q "Expiry scan (CartScan, batch 200)" "SELECT store, key, version FROM session WHERE status = 'open' AND item_count > 0 AND NOT expiry_reported AND expires_at <= now() + interval '10 days' ORDER BY expires_at LIMIT 200"
q "A member's open sessions (sign-in merge, member listing; now on session_query_member)" "SELECT key FROM session WHERE store = 'big' AND member_id = 'm1005' AND status = 'open' AND expires_at > now() ORDER BY updated_at DESC LIMIT 100"
echo "### Generic plan (as a prepared statement may cache it): status=open&hasItems=true&idleFor&cursor, parameters \$1..\$6"
echo '```'
psql -h 127.0.0.1 -U postgres -d test -X -q -At <<SQL
SET search_path = query_plans;
SET plan_cache_mode = force_generic_plan;
PREPARE page(text, timestamptz, timestamptz, timestamptz, text, int) AS
  SELECT store, key, version, status, member_id, created_at, updated_at, document::text, '[]'::text, expires_at
    FROM session WHERE store = \$1 AND expires_at > \$2 AND status = 'open' AND item_count > 0
     AND updated_at <= \$3 AND (updated_at, key) < (\$4, \$5) ORDER BY updated_at DESC, key DESC LIMIT \$6;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) EXECUTE page('big', now(), now() - interval '1 hour', now() - interval '15 days', 'ffff', 51);
PREPARE member(text, timestamptz, text, int) AS
  SELECT key FROM session WHERE store = \$1 AND expires_at > \$2 AND member_id = \$3 ORDER BY updated_at DESC, key DESC LIMIT \$4;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF, SUMMARY ON) EXECUTE member('big', now(), 'm1005', 51);
SQL
echo '```'
