#!/usr/bin/env bash
# Side-by-side comparison of configurations (environment, JVM options, another build) under the
# same load. All variants run at once, each its own JVM on its own port, started one after another
# (their start-up is measured) and warmed up; then the load goes to one variant at a time, in short
# phases, in rotated order, round after round; the idle ones use no CPU. Short interleaved phases
# keep a busy machine's noise from falling on one variant.
#
#   bench/knobs.sh 'base' 'pool8 QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=8' \
#                  'c1 BENCH_JAVA_OPTS=-XX:TieredStopAtLevel=1' 'proto BENCH_JAR=/tmp/proto/target/quarkus-app/quarkus-run.jar'
#
# A variant is a name and NAME=VALUE assignments: BENCH_JAVA_OPTS, BENCH_HEAP and BENCH_JAR change
# how its JVM is started (several JVM options: join them with '+-', as in -XX:+UseSerialGC+-Xss512k);
# anything else goes into its environment. Every variant uses the same database and sessions; mind
# max_connections when variants have big pools.
# Environment as for bench/run.sh, plus KNOBS_PHASE=spread|hot|create (default spread; create: every request
# creates a new session arriving from a campaign, as spread.lua's BENCH_CREATE=1 does), KNOBS_ROUNDS=6,
# KNOBS_WARMUP=30 (per variant), KNOBS_SECS=10 (per phase), KNOBS_RESULTS (a JSON file; default none).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

KNOBS_PHASE=${KNOBS_PHASE:-spread}
KNOBS_ROUNDS=${KNOBS_ROUNDS:-6}
KNOBS_WARMUP=${KNOBS_WARMUP:-30}
KNOBS_SECS=${KNOBS_SECS:-10}
KNOBS_RESULTS=${KNOBS_RESULTS:-}
(($# >= 1)) || die "usage: bench/knobs.sh 'name [NAME=VALUE...]'..."
VARIANTS=("$@")

require_tools
ensure_build
mkdir -p "$OUT"
install_traps
log "raw output in $OUT"
create_database
find_postmaster

FIRST_PORT=$BENCH_PORT

apply_variant "${VARIANTS[0]}"
prime_database

n=${#VARIANTS[@]}
NAMES=() PIDS=() PORTS=() STARTUP=()
for ((i = 0; i < n; i++)); do
    v=${VARIANTS[$i]}
    NAMES[i]=${v%% *}
    PORTS[i]=$((FIRST_PORT + i))
    apply_variant "$v"
    BENCH_PORT=${PORTS[i]} BASE_URL=http://127.0.0.1:${PORTS[i]}
    start_service "$OUT/service-${NAMES[i]}.log"
    EXTRA_PIDS+=("$SVC_PID")
    PIDS[i]=$SVC_PID
    read -r ms code cpu < <(wait_served) || die "variant ${NAMES[i]} did not start (see $OUT/service-${NAMES[i]}.log)"
    STARTUP[i]=$ms
    log "${NAMES[i]} started in $ms ms (JVM CPU $cpu ms) on port ${PORTS[i]}"
done
SVC_PID=

use() {  # points the load and the CPU accounting at variant $1
    SVC_PID=${PIDS[$1]} BENCH_PORT=${PORTS[$1]} BASE_URL=http://127.0.0.1:${PORTS[$1]}
}

load_phase() {  # load_phase I LABEL SECONDS
    if [[ $KNOBS_PHASE == hot ]]; then
        local hot=bench-hot-${NAMES[$1]}-$2-00000
        create_keys "$hot" "$hot"-r{1..9}
        wrk_phase "${NAMES[$1]}-$2" hot.lua "$BENCH_HOT_CONNS" "$3" BENCH_HOT_KEY="$hot"
    elif [[ $KNOBS_PHASE == create ]]; then
        wrk_phase "${NAMES[$1]}-$2" spread.lua "$BENCH_SPREAD_CONNS" "$3" BENCH_CREATE=1
    else
        wrk_phase "${NAMES[$1]}-$2" spread.lua "$BENCH_SPREAD_CONNS" "$3"
    fi
}

for ((i = 0; i < n; i++)); do
    use "$i"
    load_phase "$i" warmup "$KNOBS_WARMUP"
    log "${NAMES[i]} warm-up: $RESULT"
done

for ((r = 1; r <= KNOBS_ROUNDS; r++)); do
    for ((j = 0; j < n; j++)); do
        i=$(((j + r - 1) % n))
        use "$i"
        load_phase "$i" "$r" "$KNOBS_SECS"
        docs=$(doc_bytes session "$BENCH_KEY_PREFIX%")
        record "$(merge "$RESULT" phase=knob variant="${NAMES[i]}" index=$i round=$r startup_ms="${STARTUP[i]}" \
            rss_kib="$(rss_kib)" doc_bytes="$docs" spec="${VARIANTS[i]}")"
        log "${NAMES[i]} #$r: $RESULT"
    done
done
for ((i = 0; i < n; i++)); do
    use "$i"
    stop_service
done
EXTRA_PIDS=()

python3 - "$OUT/raw.jsonl" "$KNOBS_RESULTS" "$KNOBS_PHASE" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
order, by = [], {}
for r in rows:
    if r["variant"] not in by:
        order.append(r["variant"])
    by.setdefault(r["variant"], []).append(r)
order.sort(key=lambda v: by[v][0]["index"])
def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None
def per_req(r, part):
    c = (r.get("cpu") or {}).get(f"cpu_{part}_s")
    return None if c is None or not r.get("requests") else c * 1000 / r["requests"]
# ratio to the first variant within each round (same noise), then the median of those
first = order[0]
summary = []
print(f"\n{sys.argv[3]} phase; {len(by[first])} rounds of interleaved phases; medians")
print("| variant | req/s | vs first (median of per-round ratios) | p50 ms | p99 ms | non-2xx | JVM CPU ms/req | PG CPU ms/req | start-up ms | RSS MiB | req/s per round |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for v in order:
    rs = by[v]
    base = {r["round"]: r["rps"] for r in by[first]}
    ratios = [r["rps"] / base[r["round"]] for r in rs if base.get(r["round"])]
    s = {"variant": v, "spec": rs[0]["spec"], "rps": med([r["rps"] for r in rs]),
         "ratio_to_first": med(ratios),
         "p50_ms": med([r["p50_ms"] for r in rs]), "p99_ms": med([r["p99_ms"] for r in rs]),
         "non2xx": sum(r["non2xx"] + r["socket_errors"] for r in rs),
         "jvm_ms_per_req": med([per_req(r, "service") for r in rs]),
         "pg_ms_per_req": med([per_req(r, "pg") for r in rs]),
         "startup_ms": rs[0]["startup_ms"], "rss_mib": med([r["rss_kib"] / 1024 for r in rs]),
         "runs_rps": [r["rps"] for r in rs], "load": med([r.get("load") for r in rs])}
    summary.append(s)
    f = lambda x, d=1: "n/a" if x is None else f"{x:,.{d}f}"
    print(f"| {v} | {f(s['rps'], 0)} | {f(s['ratio_to_first'], 2)} | {f(s['p50_ms'])} | {f(s['p99_ms'])} | {s['non2xx']} | "
          f"{f(s['jvm_ms_per_req'], 3)} | {f(s['pg_ms_per_req'], 3)} | {f(s['startup_ms'], 0)} | {f(s['rss_mib'], 0)} | "
          f"{', '.join(f(x, 0) for x in s['runs_rps'])} |")
print(f"\nload average (1 min) during the phases: median {med([r.get('load') for r in rows])}")
if sys.argv[2]:
    json.dump({"phase": sys.argv[3], "summary": summary, "raw": rows}, open(sys.argv[2], "w"), indent=2)
PY
