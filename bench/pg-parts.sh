#!/usr/bin/env bash
# Where PostgreSQL's work goes in one spread change: the service's read and write statements (the
# shape of session/store/SessionTable's LOAD, without the log, and its UPDATE with the change's event
# and log entry) and the same with a part left out: the event (session_event), the log entry
# (session_log), both, and the row update on a copy of the table that has only its primary key. The
# scripts are put together below from one copy of each piece and written to $OUT/parts/. Each runs
# under pgbench (-M prepared, PARTS_CLIENTS clients), interleaved, PARTS_ROUNDS rounds of PARTS_SECS
# seconds, on a database primed by the service itself (schema, BENCH_SESSIONS sessions, load;
# bench/lib.sh). Prints the median transactions/s per script (wall clock: CPU and commit latency both
# count). No JVM runs during the measured phases. PostgreSQL's CPU per transaction is not printed:
# counted as bench/run.sh counts it (the server's processes before and after), it was inconsistent
# between the scripts for these short, commit-bound phases (docs/performance.md, "Fourth session").
#
#   bench/pg-parts.sh            # ~4 minutes (PARTS_ROUNDS=5: ~6); environment as for bench/run.sh
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PARTS_ROUNDS=${PARTS_ROUNDS:-3}
PARTS_SECS=${PARTS_SECS:-8}
PARTS_CLIENTS=${PARTS_CLIENTS:-8}

# --- the pieces, in pgbench's syntax (-D store, prefix, sessions) ---------------------------------
KEY=":prefix || lpad(:n::text, 6, '0')"
# A typical item.selected event; pgbench would take ":name" inside a literal for a variable, hence base64.
PAYLOAD='{"type":"item.selected","store":"demo","sessionKey":"bench-session-000161","version":18,"at":"2026-11-25T01:05:16.276Z","data":{"lineId":"l4","sku":"RKT-6","name":"Falcon rocket","price":19.99,"quantity":1,"lineQuantity":2,"attributes":{}},"session":{"status":"open","memberId":null,"currency":"USD","itemCount":17,"subtotal":339.83,"discountTotal":0.00,"total":339.83}}'
EVENT="e AS (INSERT INTO session_event (store, id, session_key, version, type, at, payload)
        SELECT :store, pg_current_xact_id()::text::bigint * 1000, $KEY, :v + 1, 'item.selected', now(),
               convert_from(decode('$(printf %s "$PAYLOAD" | base64 -w0)', 'base64'), 'UTF8')::json FROM w)"
LOG_ENTRY="l AS (INSERT INTO session_log AS o (store, key, chunk, entries)
        SELECT :store, $KEY, (w.log_next - 1) / 20, '{\"at\":1764032716276,\"entry\":\"Selected RKT-6 x1\"}' FROM w
        ON CONFLICT (store, key, chunk) DO UPDATE SET entries = o.entries || ',' || EXCLUDED.entries),
 t AS (DELETE FROM session_log o USING w WHERE o.store = :store AND o.key = $KEY
          AND o.chunk < greatest((w.log_next - 200) / 20, w.log_start / 20) AND (w.log_next - 1) / 20 * 20 >= w.log_next - 1)"

# part NAME TABLE [CTE...]: the read of TABLE's row, then (unless NAME is read-only) its versioned
# update followed by the given CTEs, as one statement.
part() {
    local name=$1 table=$2
    shift 2
    {
        echo '\set n random(1, :sessions)'
        echo "SELECT s.version AS v, s.document::text AS doc, s.applied_keys::text AS ak FROM $table s"
        echo " WHERE s.store = :store AND s.key = $KEY \\gset"
        if [[ $name != read-only ]]; then
            echo "WITH w AS (UPDATE $table SET version = :v + 1, status = 'open', member_id = NULL, updated_at = now(),"
            echo "       expires_at = now() + interval '30 days', document = :doc::text::jsonb, applied_keys = :ak::text::jsonb,"
            echo "       item_count = 20, log_next = log_next + 1"
            echo "     WHERE store = :store AND key = $KEY AND version = :v RETURNING log_start, log_next)"
            local cte
            for cte in "$@"; do
                echo ", $cte"
            done
            echo "SELECT count(*) FROM w;"
        fi
    } >"$OUT/parts/$name.sql"
    PARTS+=("$name")
}

require_tools
ensure_build
mkdir -p "$OUT/parts"
PARTS=()
part full session "$EVENT" "$LOG_ENTRY"
part no-event session "$LOG_ENTRY"
part no-log session "$EVENT"
part row-only session
part row-primary-key-only session_lean
part read-only session
install_traps
log "raw output in $OUT"
create_database
find_postmaster
prime_database
psql_q -c "CREATE TABLE session_lean (LIKE session INCLUDING DEFAULTS)" \
    -c "ALTER TABLE session_lean ADD PRIMARY KEY (store, key)" \
    -c "INSERT INTO session_lean SELECT * FROM session" -c "ANALYZE session_lean" >/dev/null

for ((round = 1; round <= PARTS_ROUNDS; round++)); do
    for name in "${PARTS[@]}"; do
        pgbench_phase "$name-$round" "$OUT/parts/$name.sql" "$PARTS_CLIENTS" "$PARTS_SECS" \
            -D prefix="$BENCH_KEY_PREFIX" -D sessions="$BENCH_SESSIONS"
        record "$(merge "$RESULT" "part=\"$name\"" "round=$round")"
        log "$name #$round: $RESULT"
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
