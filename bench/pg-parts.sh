#!/usr/bin/env bash
# Where PostgreSQL's CPU goes in one spread change: the service's read and write statements
# (bench/sql/parts/full.sql, the shape of session/store/SessionTable's LOAD and UPDATE) and the
# same with a part left out: the event (session_event), the log entry (session_log), both, and the
# row update on a copy of the table that has only its primary key. Every script runs under pgbench
# (-M prepared, PARTS_CLIENTS clients), interleaved, PARTS_ROUNDS rounds of PARTS_SECS seconds, on
# a database primed by the service itself (schema, BENCH_SESSIONS sessions, load; bench/lib.sh).
# Prints, per script, the median transactions/s (wall clock: CPU and commit latency both count). No
# JVM runs during the measured phases. PostgreSQL's CPU per transaction is not printed: counted as
# bench/run.sh counts it (the server's processes before and after), it came out far below the
# statements' own execution times for these short phases (docs/performance.md, "Fourth session").
#
#   bench/pg-parts.sh            # ~4 minutes; environment as for bench/run.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PARTS_ROUNDS=${PARTS_ROUNDS:-3}
PARTS_SECS=${PARTS_SECS:-8}
PARTS_CLIENTS=${PARTS_CLIENTS:-8}
PARTS=(full no-event no-log row-only row-primary-key-only read-only)

require_tools
ensure_build
mkdir -p "$OUT"
install_traps
log "raw output in $OUT"
create_database
find_postmaster
prime_database
psql_q -c "CREATE TABLE session_lean (LIKE session INCLUDING DEFAULTS)" \
    -c "ALTER TABLE session_lean ADD PRIMARY KEY (store, key)" \
    -c "INSERT INTO session_lean SELECT * FROM session" -c "ANALYZE session_lean" >/dev/null

for ((round = 1; round <= PARTS_ROUNDS; round++)); do
    for part in "${PARTS[@]}"; do
        pgbench_phase "$part-$round" "parts/$part.sql" "$PARTS_CLIENTS" "$PARTS_SECS" \
            -D prefix="$BENCH_KEY_PREFIX" -D sessions="$BENCH_SESSIONS"
        record "$(merge "$RESULT" "part=\"$part\"" "round=$round")"
        log "$part #$round: $RESULT"
    done
done

python3 - "$OUT/raw.jsonl" <<'PY'
import json, statistics, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print("| script | transactions/s (median) | vs full | per round |")
print("|---|---|---|---|")
full = statistics.median(r["rps"] for r in rows if r["part"] == "full")
for part in dict.fromkeys(r["part"] for r in rows):
    mine = [r for r in rows if r["part"] == part]
    tps = statistics.median(r["rps"] for r in mine)
    rounds = ", ".join(format(r["rps"], ",.0f") for r in mine)
    print(f"| {part} | {tps:,.0f} | {tps / full:.2f} | {rounds} |")
PY
