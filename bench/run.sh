#!/usr/bin/env bash
# Benchmark of the packaged service against the PostgreSQL ceiling for the same work.
#
#   ./mvnw -B package -DskipTests      # once (run.sh builds only if target/quarkus-app is missing,
#   bench/run.sh                       #  or always with BENCH_BUILD=always)
#
# Needs: wrk, pgbench + psql (Debian: postgresql-client), curl, python3 (python3-matplotlib for the
# chart), a JDK 17+, and a PostgreSQL server where it may create and drop a database (default: the
# local one at 127.0.0.1:5432 as user postgres; PGHOST, PGPORT, PGUSER, PGPASSWORD, BENCH_DB).
# Everything goes to 127.0.0.1 only. See docs/performance.md for what is measured and why.
#
# Phase lengths (seconds) and sizes, with their defaults (a full run takes about 6-7 minutes):
#   BENCH_STARTS=5 start-ups per variant; BENCH_STARTUP_VARIANTS="default c1 cds" (c1:
#   -XX:TieredStopAtLevel=1, cds: a dynamic AppCDS archive made in a first start)
#   BENCH_WARMUP=30 (service) BENCH_CEILING_WARMUP=10 (pgbench) BENCH_ROUNDS=3
#   BENCH_SPREAD_SECS=30 BENCH_HOT_SECS=20 BENCH_SESSIONS=1000 BENCH_SPREAD_CONNS=64 BENCH_HOT_CONNS=32
#   BENCH_HEAP="-Xmx128m -XX:+UseSerialGC" (as in the manifests' 512 MiB container) BENCH_JAVA_OPTS= (more
#   JVM options) BENCH_PORT=18090 (the service; BENCH_PORT+1: a second one with events off)
#   BENCH_EVENTS_OFF=1 (0: skip the events-off phases)
#   BENCH_NATIVE_SIDE=auto: a third service beside them, the native executable (target/*-runner of
#   ./mvnw package -Dnative; a path, or "none"), port BENCH_PORT+2, with the Knative Service's options
#   BENCH_NATIVE_OPTS="-Xmx64m -XX:ActiveProcessorCount=1": its spread rounds interleave with the JVM's,
#   and its memory after load is read like the JVM's
# Any QUARKUS_* variable in the environment reaches the service, e.g.
#   QUARKUS_DATASOURCE_REACTIVE_MAX_SIZE=16 bench/run.sh
# Output: a summary table on stdout; bench/results/latest.json (BENCH_RESULTS), docs/performance.png
# (BENCH_CHART), the generated block of docs/performance.md (BENCH_MD; BENCH_MD= to leave it), and
# the raw files of the run under bench/out/<time>/.
set -euo pipefail
# The heap and collector the service gets in the deployment manifests: a 512 MiB container with
# -XX:MaxRAMPercentage=25 (128 MiB), where the JVM picks the Serial collector by itself (a container
# under 1792 MiB is not a "server-class machine"), and the manifests' periodic trim of the native heap.
# Override with BENCH_HEAP.
BENCH_HEAP=${BENCH_HEAP:--Xmx128m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000}
source "$(dirname "$0")/lib.sh"

BENCH_STARTS=${BENCH_STARTS:-5}
BENCH_STARTUP_VARIANTS=${BENCH_STARTUP_VARIANTS:-default c1 cds}
BENCH_WARMUP=${BENCH_WARMUP:-30}
BENCH_CEILING_WARMUP=${BENCH_CEILING_WARMUP:-10}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
BENCH_SPREAD_SECS=${BENCH_SPREAD_SECS:-30}
BENCH_HOT_SECS=${BENCH_HOT_SECS:-20}
BENCH_RESULTS=${BENCH_RESULTS:-$ROOT/bench/results/latest.json}
BENCH_CHART=${BENCH_CHART:-$ROOT/docs/performance.png}
BENCH_MD=${BENCH_MD-$ROOT/docs/performance.md}
# The hot-session ceiling: hot_locked.sql (SELECT ... FOR UPDATE, every transaction writes one
# version) or hot.sql (optimistic like the service: most version checks fail under contention).
HOT_CEILING_SQL=${BENCH_HOT_CEILING_SQL:-hot_locked.sql}

# A python3 that has matplotlib draws the chart; any python3 does the rest.
PY=python3
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import matplotlib' 2>/dev/null; then
        PY=$candidate
        break
    fi
done

require_tools
ensure_build
mkdir -p "$OUT"
install_traps
log "raw output in $OUT"
create_database
find_postmaster

variant_opts() {
    case $1 in
        default) ;;
        c1) echo "-XX:TieredStopAtLevel=1" ;;
        cds) echo "-XX:SharedArchiveFile=$OUT/app-cds.jsa" ;;
        *) die "unknown start-up variant $1 (default, c1, cds)" ;;
    esac
}

scrape_metrics() {  # JSON of the write-pipeline counters now
    curl -s --max-time 5 "$BASE_URL/q/metrics" >"$OUT/metrics.txt" || true
    python3 "$BENCH_DIR/report.py" metrics "$OUT/metrics.txt"
}

pipeline_delta() {  # what the write pipeline did between two scrapes: writes, changes, conflicts
    python3 -c '
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
d = {k: a[k] - b.get(k, 0) for k in a}
if d.get("writes"):
    d["changes_per_write"] = round(d.get("changes", 0) / d["writes"], 2)
print(json.dumps(d))' "$1" "$2"
}

# --- meta ---------------------------------------------------------------------------------------
record "$(python3 - "$BENCH_HEAP" "$BENCH_JAVA_OPTS" <<EOF
import json, os, platform, subprocess, sys
def sh(c):
    try:
        return subprocess.run(c, shell=True, capture_output=True, text=True).stdout.strip()
    except Exception:
        return ""
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((l.split()[1] for l in open("/proc/meminfo") if l.startswith("MemTotal")), "0")
print(json.dumps({"phase": "meta", "started": sh("date -u +%Y-%m-%dT%H:%M:%SZ"), "cpus": os.cpu_count(),
  "cpu": cpu, "mem_gib": round(int(mem) / 1048576, 1), "kernel": platform.release(),
  "java": sh("$BENCH_JAVA -version 2>&1 | head -1"), "heap": sys.argv[1], "java_opts": sys.argv[2],
  "pg_version": sh("psql -X -At -d postgres -c 'show server_version'"),
  "pg_settings": sh("psql -X -At -F= -d postgres -c \"select name, setting from pg_settings where name in ('shared_buffers','synchronous_commit','fsync','max_connections') order by 1\"").split("\n"),
  "wrk": sh("wrk --version 2>&1 | head -1"), "pgbench": sh("pgbench --version"),
  "git": sh("git -C $ROOT describe --always --dirty 2>/dev/null"),
  "sessions": $BENCH_SESSIONS, "spread_conns": $BENCH_SPREAD_CONNS, "hot_conns": $BENCH_HOT_CONNS,
  "rounds": $BENCH_ROUNDS, "spread_secs": $BENCH_SPREAD_SECS, "hot_secs": $BENCH_HOT_SECS,
  "warmup_secs": $BENCH_WARMUP, "quarkus_env": {k: v for k, v in os.environ.items()
      if k.startswith("QUARKUS_") and "PASSWORD" not in k}}))
EOF
)"

# --- start-up -------------------------------------------------------------------------------------
log "start-up: first start (creates the schema), then primes the database (prime_database)"
prime_database
record "{\"phase\":\"startup-first\",\"ms\":$PRIME_MS,\"code\":$PRIME_CODE,\"cpu_ms\":$PRIME_CPU}"
if [[ " $BENCH_STARTUP_VARIANTS " == *" cds "* ]]; then
    log "start-up: a start that writes the AppCDS archive ($OUT/app-cds.jsa)"
    start_service "$OUT/service-cds-dump.log" "-XX:ArchiveClassesAtExit=$OUT/app-cds.jsa"
    wait_served >/dev/null || die "the service did not start (see $OUT/service-cds-dump.log)"
    stop_service
    [[ -f $OUT/app-cds.jsa ]] || die "no CDS archive written (see $OUT/service-cds-dump.log)"
fi
for ((i = 1; i <= BENCH_STARTS; i++)); do
    for variant in $BENCH_STARTUP_VARIANTS; do
        # shellcheck disable=SC2046
        start_service "$OUT/service-start-$variant-$i.log" $(variant_opts "$variant")
        read -r ms code cpu < <(wait_served) || die "the service did not start (see $OUT/service-start-$variant-$i.log)"
        quarkus=$(grep -o 'started in [0-9.]*s' "$OUT/service-start-$variant-$i.log" | grep -o '[0-9.]*' || echo null)
        record "{\"phase\":\"startup\",\"variant\":\"$variant\",\"round\":$i,\"ms\":$ms,\"code\":$code,\"cpu_ms\":$cpu,\"quarkus_s\":${quarkus:-null},\"load\":$(loadavg)}"
        log "start-up $variant #$i: $ms ms to first request (HTTP $code), JVM CPU $cpu ms, Quarkus says ${quarkus}s"
        stop_service
    done
done

# --- load -----------------------------------------------------------------------------------------
# Two services side by side on the same database: A (BENCH_PORT) as configured, B (BENCH_PORT+1) the
# same with REDFOUR_SESSION_RECORD_EVENTS=false, for "events on against events off". Each phase
# points the load and the CPU accounting at one of them (use_service); the other is idle.
BENCH_EVENTS_OFF=${BENCH_EVENTS_OFF:-1}
BENCH_NATIVE_SIDE=${BENCH_NATIVE_SIDE:-auto}
BENCH_NATIVE_OPTS=${BENCH_NATIVE_OPTS:--Xmx64m -XX:ActiveProcessorCount=1}
if [[ $BENCH_NATIVE_SIDE == auto ]]; then
    BENCH_NATIVE_SIDE=none
    for runner in "$ROOT"/target/*-runner; do
        [[ -x $runner ]] && BENCH_NATIVE_SIDE=$runner
    done
    [[ $BENCH_NATIVE_SIDE == none ]] && log "no target/*-runner: the native side is not measured (./mvnw package -Dnative)"
fi
[[ $BENCH_NATIVE_SIDE == none || -x $BENCH_NATIVE_SIDE ]] || die "BENCH_NATIVE_SIDE=$BENCH_NATIVE_SIDE is not an executable"
MAIN_PORT=$BENCH_PORT
use_service() {  # use_service PID PORT
    SVC_PID=$1 BENCH_PORT=$2 BASE_URL=http://127.0.0.1:$2
}
# Both services close pooled connections idle for 2 s, so that the ceiling's 64 pgbench connections
# fit under PostgreSQL's max_connections (100 by default) next to two pools of 20 (wait_pools_idle).
IDLE=QUARKUS_DATASOURCE_REACTIVE_IDLE_TIMEOUT=PT2S
wait_pools_idle() {
    local i n
    for ((i = 0; i < 100; i++)); do
        n=$(psql_q -c "select count(*) from pg_stat_activity where datname = '$BENCH_DB' and pid <> pg_backend_pid()")
        ((n <= 8)) && return 0
        psql_q -c "select pg_sleep(0.1)" >/dev/null
    done
    log "still $n connections to $BENCH_DB; the ceiling may not get all of its own"
}
log "starting the service for the load phases"
SVC_ENV=("$IDLE")
start_service "$OUT/service.log"
wait_served >/dev/null || die "the service did not start (see $OUT/service.log)"
MAIN_PID=$SVC_PID
EXTRA_PIDS+=("$MAIN_PID")
if ((BENCH_EVENTS_OFF)); then
    log "starting a second service with events off (port $((MAIN_PORT + 1)))"
    use_service "" $((MAIN_PORT + 1))
    SVC_ENV=("$IDLE" REDFOUR_SESSION_RECORD_EVENTS=false)
    start_service "$OUT/service-events-off.log"
    SVC_ENV=()
    wait_served >/dev/null || die "the events-off service did not start (see $OUT/service-events-off.log)"
    OFF_PID=$SVC_PID
    EXTRA_PIDS+=("$OFF_PID")
fi
if [[ $BENCH_NATIVE_SIDE != none ]]; then
    log "starting the native executable beside it (port $((MAIN_PORT + 2)), options $BENCH_NATIVE_OPTS)"
    use_service "" $((MAIN_PORT + 2))
    SVC_ENV=("$IDLE")
    BENCH_NATIVE=$BENCH_NATIVE_SIDE BENCH_HEAP=$BENCH_NATIVE_OPTS BENCH_JAVA_OPTS= start_service "$OUT/service-native.log"
    SVC_ENV=()
    wait_served >/dev/null || die "the native service did not start (see $OUT/service-native.log)"
    NATIVE_PID=$SVC_PID
    EXTRA_PIDS+=("$NATIVE_PID")
fi
use_service "$MAIN_PID" "$MAIN_PORT"
n=$(psql_q -c "select count(*) from session where key like '$BENCH_KEY_PREFIX%'")
[[ $n == "$BENCH_SESSIONS" ]] || die "expected $BENCH_SESSIONS sessions, found $n"

log "warm-up: spread ${BENCH_WARMUP}s, ceiling ${BENCH_CEILING_WARMUP}s"
wrk_phase warmup spread.lua "$BENCH_SPREAD_CONNS" "$BENCH_WARMUP"
log "warm-up service: $RESULT"
if ((BENCH_EVENTS_OFF)); then
    use_service "$OFF_PID" $((MAIN_PORT + 1))
    wrk_phase warmup-events-off spread.lua "$BENCH_SPREAD_CONNS" "$BENCH_WARMUP"
    log "warm-up service, events off: $RESULT"
    use_service "$MAIN_PID" "$MAIN_PORT"
fi
if [[ $BENCH_NATIVE_SIDE != none ]]; then
    use_service "$NATIVE_PID" $((MAIN_PORT + 2))
    wrk_phase warmup-native spread.lua "$BENCH_SPREAD_CONNS" "$BENCH_WARMUP"
    log "warm-up native: $RESULT"
    use_service "$MAIN_PID" "$MAIN_PORT"
fi
create_keys bench-hot-warmup-00000
wrk_phase warmup-hot hot.lua "$BENCH_HOT_CONNS" 5 BENCH_HOT_KEY=bench-hot-warmup-00000
refresh_copy "$BENCH_KEY_PREFIX%"
wait_pools_idle
pgbench_phase warmup spread.sql "$BENCH_SPREAD_CONNS" "$BENCH_CEILING_WARMUP" \
    -D prefix="$BENCH_KEY_PREFIX" -D sessions="$BENCH_SESSIONS"
log "warm-up ceiling: $RESULT"

for ((r = 1; r <= BENCH_ROUNDS; r++)); do
    # The ceiling's copy of the documents is taken now, before the service's phase makes them grow:
    # the ceiling gets the smaller documents, so the ratio errs against the service.
    refresh_copy "$BENCH_KEY_PREFIX%"

    # A: the service, random sessions.
    docs=$(doc_bytes session "$BENCH_KEY_PREFIX%")
    before=$(scrape_metrics)
    wrk_phase "spread-$r" spread.lua "$BENCH_SPREAD_CONNS" "$BENCH_SPREAD_SECS"
    record "$(merge "$RESULT" phase=spread side=service round=$r doc_bytes="$docs" \
        pipeline="$(pipeline_delta "$before" "$(scrape_metrics)")")"
    log "spread service  #$r: $RESULT"

    # B: the ceiling on the copy of the same documents.
    docs=$(doc_bytes session_copy "$BENCH_KEY_PREFIX%")
    wait_pools_idle
    pgbench_phase "spread-$r" spread.sql "$BENCH_SPREAD_CONNS" "$BENCH_SPREAD_SECS" \
        -D prefix="$BENCH_KEY_PREFIX" -D sessions="$BENCH_SESSIONS"
    record "$(merge "$RESULT" phase=spread side=ceiling round=$r doc_bytes="$docs")"
    log "spread ceiling  #$r: $RESULT"

    # C: the same service with events off (B), same sessions.
    if ((BENCH_EVENTS_OFF)); then
        use_service "$OFF_PID" $((MAIN_PORT + 1))
        wrk_phase "spread-events-off-$r" spread.lua "$BENCH_SPREAD_CONNS" "$BENCH_SPREAD_SECS"
        record "$(merge "$RESULT" phase=spread side=events-off round=$r)"
        log "spread events off #$r: $RESULT"
        use_service "$MAIN_PID" "$MAIN_PORT"
    fi

    # D: the native executable, same sessions, same load.
    if [[ $BENCH_NATIVE_SIDE != none ]]; then
        use_service "$NATIVE_PID" $((MAIN_PORT + 2))
        wrk_phase "spread-native-$r" spread.lua "$BENCH_SPREAD_CONNS" "$BENCH_SPREAD_SECS"
        record "$(merge "$RESULT" phase=spread side=native round=$r)"
        log "spread native   #$r: $RESULT"
        use_service "$MAIN_PID" "$MAIN_PORT"
    fi
done

for ((r = 1; r <= BENCH_ROUNDS; r++)); do
    # A: the service, all connections on one fresh session (rotations pre-created, see hot.lua).
    hot=bench-hot-round-$r-00000
    create_keys "$hot" "$hot"-r{1..9}
    before=$(scrape_metrics)
    wrk_phase "hot-$r" hot.lua "$BENCH_HOT_CONNS" "$BENCH_HOT_SECS" BENCH_HOT_KEY="$hot"
    after=$(scrape_metrics)
    docs=$(doc_bytes session "$hot")
    record "$(merge "$RESULT" phase=hot side=service round=$r doc_bytes="$docs" \
        pipeline="$(pipeline_delta "$before" "$after")")"
    log "hot service     #$r: $RESULT"

    # B: the ceiling: serialised read + versioned write of one row holding that session's document
    # as the service's phase left it (its largest size: here the ratio errs for the service).
    refresh_copy "$hot"
    v0=$(psql_q -c "select version from session_copy where key = '$hot'")
    docs=$(doc_bytes session_copy "$hot")
    wait_pools_idle
    pgbench_phase "hot-$r" "$HOT_CEILING_SQL" "$BENCH_HOT_CONNS" "$BENCH_HOT_SECS" -D hotkey="$hot"
    v1=$(psql_q -c "select version from session_copy where key = '$hot'")
    record "$(merge "$RESULT" phase=hot side=ceiling round=$r doc_bytes="$docs" script="$HOT_CEILING_SQL" \
        versions_written=$((v1 - v0)) writes_per_s="$(python3 -c "import sys; print(round(int(sys.argv[1]) / float(sys.argv[2]), 1))" $((v1 - v0)) "$BENCH_HOT_SECS")")"
    log "hot ceiling     #$r: $RESULT, versions $v0 -> $v1"
done

record "{\"phase\":\"memory\",\"rss_kib\":$(rss_kib),\"hwm_kib\":$(hwm_kib)}"
log "service RSS after load: $(($(rss_kib) / 1024)) MiB (peak $(($(hwm_kib) / 1024)) MiB)"
stop_service
if ((BENCH_EVENTS_OFF)); then
    use_service "$OFF_PID" $((MAIN_PORT + 1))
    stop_service
fi
if [[ $BENCH_NATIVE_SIDE != none ]]; then
    use_service "$NATIVE_PID" $((MAIN_PORT + 2))
    record "{\"phase\":\"memory\",\"side\":\"native\",\"rss_kib\":$(rss_kib),\"hwm_kib\":$(hwm_kib),\"options\":\"$BENCH_NATIVE_OPTS\"}"
    log "native RSS after load: $(($(rss_kib) / 1024)) MiB (peak $(($(hwm_kib) / 1024)) MiB)"
    stop_service
fi
EXTRA_PIDS=()
drop_database

"$PY" "$BENCH_DIR/report.py" summary "$OUT" "$BENCH_RESULTS" "$BENCH_CHART" "$BENCH_MD"
