#!/usr/bin/env bash
# Issue 27: how fast the store insights answer at shop scale. A store with INSIGHTS_SESSIONS sessions
# (default 1,000,000), all created in the default 30-day window (the heaviest case for a 30-day query:
# every session of the store is in it), seeded as the service's facts, folded figures and INSIGHTS_UNFOLDED
# (default 5,000) changes not yet folded (bench/sql/insights_seed.sql); the packaged service runs with its
# fold stopped, so that every read also sums those. Then GET /v1/stores/{store}/insights for every
# breakdown, INSIGHTS_ROUNDS rounds (default 5) of INSIGHTS_REQUESTS requests (default 20) each, one at a
# time, the breakdowns in rotated order; latency per request from hey; p50 and p95 per breakdown. Last, the
# plan of the by=source statement (bench/sql/insights_source.sql, which InsightStatementsTest keeps equal to
# what the service runs) with EXPLAIN (ANALYZE, BUFFERS).
#
#   ./mvnw -B package -DskipTests && bench/insights.sh
#
# Needs hey (apt-get install -y hey), psql, python3, a JDK 17+ and the PostgreSQL of bench/lib.sh.
# Output: a table on stdout, bench/results/insights.json (INSIGHTS_RESULTS), the plan in
# bench/query-plans/insights-source.txt, the raw files under bench/out/<time>/.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

INSIGHTS_SESSIONS=${INSIGHTS_SESSIONS:-1000000}
INSIGHTS_DAYS=${INSIGHTS_DAYS:-30}
INSIGHTS_UNFOLDED=${INSIGHTS_UNFOLDED:-5000}
INSIGHTS_ROUNDS=${INSIGHTS_ROUNDS:-5}
INSIGHTS_REQUESTS=${INSIGHTS_REQUESTS:-20}
INSIGHTS_RESULTS=${INSIGHTS_RESULTS:-$ROOT/bench/results/insights.json}
BENCH_DB=${INSIGHTS_DB:-redfour_insights}
QUERIES=("by=source" "by=source&touch=last" "by=medium" "by=campaign" "by=referrer" "by=landing" "by=day&limit=500" "by=none")

command -v hey >/dev/null || die "hey is missing (apt-get install -y hey)"
command -v psql >/dev/null || die "psql is missing (apt-get install -y postgresql-client)"
ensure_build
mkdir -p "$OUT"
install_traps
log "raw output in $OUT"
create_database

# The fold stopped: the unfolded changes stay unfolded while the reads run.
SVC_ENV=(REDFOUR_INSIGHTS_FOLD_INTERVAL=off REDFOUR_EVENTS_SCAN_INTERVAL=off)
start_service "$OUT/service.log"
wait_served >/dev/null || die "the service did not start (see $OUT/service.log)"

log "seeding $INSIGHTS_SESSIONS sessions over $INSIGHTS_DAYS days ($INSIGHTS_UNFOLDED unfolded) in store $BENCH_STORE"
seed_start=$SECONDS
psql_q -v store="$BENCH_STORE" -v sessions="$INSIGHTS_SESSIONS" -v days="$INSIGHTS_DAYS" -v unfolded="$INSIGHTS_UNFOLDED" \
    -f "$BENCH_DIR/sql/insights_seed.sql" >/dev/null
log "seeded in $((SECONDS - seed_start)) s: $(psql_q -c "select count(*) from session_fact") facts, \
$(psql_q -c "select count(*) from insight_day") folded rows, $(psql_q -c "select count(*) from insight_delta") unfolded deltas"

url=$BASE_URL/v1/stores/$BENCH_STORE/insights
for q in "${QUERIES[@]}"; do  # warm-up: plans cached, pages in memory
    hey -n 5 -c 1 -H "Authorization: Bearer $BENCH_API_KEY" "$url?$q" >/dev/null
done
for ((round = 0; round < INSIGHTS_ROUNDS; round++)); do
    n=${#QUERIES[@]}
    for ((j = 0; j < n; j++)); do
        q=${QUERIES[$(((j + round) % n))]}
        hey -n "$INSIGHTS_REQUESTS" -c 1 -o csv -H "Authorization: Bearer $BENCH_API_KEY" "$url?$q" \
            >"$OUT/hey-${q//[&=]/_}-$round.csv"
    done
    log "round $((round + 1))/$INSIGHTS_ROUNDS done (load $(loadavg))"
done
curl -fsS -H "Authorization: Bearer $BENCH_API_KEY" "$url?by=none" >"$OUT/answer-none.json"

psql_q -c "PREPARE insights(text, date, date, bigint) AS $(cat "$BENCH_DIR/sql/insights_source.sql")" \
    -c "EXPLAIN (ANALYZE, BUFFERS) EXECUTE insights('$BENCH_STORE', current_date - $((INSIGHTS_DAYS - 1)), current_date, 50)" \
    >"$ROOT/bench/query-plans/insights-source.txt"

python3 - "$OUT" "$INSIGHTS_RESULTS" "$INSIGHTS_SESSIONS" "$INSIGHTS_DAYS" "$INSIGHTS_UNFOLDED" "${QUERIES[@]}" <<'PY'
import csv, glob, json, statistics, sys
out, results, sessions, days, unfolded, queries = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), sys.argv[6:]
def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1)]
rows = {}
for q in queries:
    ms, codes = [], set()
    for path in glob.glob(f"{out}/hey-{q.replace('&', '_').replace('=', '_')}-*.csv"):
        with open(path) as f:
            for r in csv.DictReader(f):
                ms.append(float(r["response-time"]) * 1000)
                codes.add(r["status-code"])
    rows[q] = {"requests": len(ms), "statuses": sorted(codes), "p50_ms": round(statistics.median(ms), 1),
               "p95_ms": round(pct(ms, 95), 1), "max_ms": round(max(ms), 1)}
answer = json.load(open(f"{out}/answer-none.json"))
doc = {"sessions": sessions, "days": days, "unfolded": unfolded, "window_sessions": answer["totals"]["sessions"],
       "queries": rows}
json.dump(doc, open(results, "w"), indent=2)
print(f"{'query':24} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  statuses")
for q, r in rows.items():
    print(f"{q:24} {r['requests']:>4} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['max_ms']:>8}  {','.join(r['statuses'])}")
print(f"sessions in the window: {doc['window_sessions']}")
PY
log "results in $INSIGHTS_RESULTS, plan in bench/query-plans/insights-source.txt"
