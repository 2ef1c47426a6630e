#!/usr/bin/env bash
# Where a native cold start goes, phase by phase, as the Knative Service runs the executable (no Flyway,
# the OpenAPI document written per request, the manifest's -Xmx and processor count):
#
#   bench/native-start.sh [EXECUTABLE]     # default: target/*-runner (./mvnw package -Dnative)
#
# 1. Timeline (strace, only the few system calls that mark a phase, filtered in the kernel): exec, the
#    executable's own start (its first look at /proc/self/maps), the HTTP socket listening (Quarkus
#    started), the first request accepted, the first PostgreSQL connection, its first statement, and
#    the response written. NATIVE_RUNS (5) starts; medians. strace slows each marked call a little.
# 2. Quarkus' own step times (-Dquarkus.debug.print-startup-times=true): each extension's start-up
#    step over 1 ms, one start.
# 3. With NATIVE_CALLGRIND=<an executable built with -H:-DeleteLocalSymbols> (see docs/performance.md,
#    "Native executable"): instructions executed (valgrind --tool=callgrind, reproducible on a noisy
#    machine, unlike time) by the whole start and by its largest parts.
#
# Needs strace, curl, python3, a PostgreSQL as for bench/run.sh (a database redfour_native_start is
# created, migrated by the executable's `migrate` command, and dropped).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
EXE=${1:-$(ls "$ROOT"/target/*-runner 2>/dev/null | head -1)}
[[ -x ${EXE:-} ]] || { echo "no native executable (./mvnw package -Dnative, or give its path)" >&2; exit 1; }
command -v strace >/dev/null || { echo "needs strace (apt-get install -y strace)" >&2; exit 1; }
NATIVE_RUNS=${NATIVE_RUNS:-5}
NATIVE_OPTS=${NATIVE_OPTS:--Xmx64m -XX:ActiveProcessorCount=1}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres} PGPASSWORD=${PGPASSWORD:-bench}
DB=redfour_native_start
PORT=${BENCH_PORT:-18095}
OUT=$(mktemp -d)
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB" >/dev/null
export QUARKUS_DATASOURCE_REACTIVE_URL=postgresql://$PGHOST:$PGPORT/$DB QUARKUS_DATASOURCE_USERNAME=$PGUSER \
    QUARKUS_DATASOURCE_PASSWORD=$PGPASSWORD QUARKUS_HTTP_PORT=$PORT \
    REDFOUR_API_KEYS="demo:$(printf %s demo-key | sha256sum | cut -d' ' -f1)"
# shellcheck disable=SC2086
"$EXE" $NATIVE_OPTS migrate >"$OUT/migrate.log" 2>&1 || { cat "$OUT/migrate.log"; exit 1; }
# The Knative Service's cold-start settings (k8s/overlays/knative/knative-service.yaml).
export QUARKUS_FLYWAY_MIGRATE_AT_START=false QUARKUS_FLYWAY_ACTIVE=false QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER=true

first_put() {  # polls until the first PUT is answered; prints its status
    local code
    for _ in $(seq 5000); do
        code=$(curl -s -o /dev/null -w '%{http_code}' -X PUT -H 'Authorization: Bearer demo-key' \
            -H 'Content-Type: application/json' -d '{"landing":"/x"}' \
            "http://127.0.0.1:$PORT/v1/stores/demo/sessions/native-start-${EPOCHREALTIME/./}") || true
        [[ $code != 000 ]] && { echo "$code"; return 0; }
        sleep 0.002
    done
    return 1
}

echo "executable: $EXE ($NATIVE_OPTS), $NATIVE_RUNS starts"
for ((r = 1; r <= NATIVE_RUNS; r++)); do
    # shellcheck disable=SC2086
    strace -f --seccomp-bpf -ttt -e trace=execve,openat,listen,accept,accept4,connect,write,writev,sendto,sendmsg \
        -o "$OUT/trace-$r.txt" "$EXE" $NATIVE_OPTS >"$OUT/run-$r.log" 2>&1 &
    tracer=$!
    code=$(first_put)
    sleep 0.3
    pkill -TERM -P "$tracer" || true  # the executable, strace's child
    wait "$tracer" || true
    [[ $code == 201 ]] || { echo "run $r: first PUT answered $code"; cat "$OUT/run-$r.log"; exit 1; }
done

python3 - "$OUT" "$NATIVE_RUNS" "$PORT" <<'PY'
import re, statistics, sys
out, runs, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
phases = ["executable's own code running", "HTTP socket listening (Quarkus started)", "first request accepted",
          "first PostgreSQL connection", "first statement sent", "response written"]
rows = []
for r in range(1, runs + 1):
    t = {}
    http_fd = pg_fd = None
    for line in open(f"{out}/trace-{r}.txt"):
        m = re.match(r"\d+\s+(\d+\.\d+)\s+(\w+)\((.*)", line)
        if not m:
            continue
        ts, call, args = float(m.group(1)), m.group(2), m.group(3)
        if call == "execve" and "exec" not in t:
            t["exec"] = ts
        elif call == "openat" and "/proc/self/maps" in args and phases[0] not in t:
            t[phases[0]] = ts
        elif call == "listen" and phases[1] not in t:
            t[phases[1]] = ts
        elif call in ("accept", "accept4") and phases[2] not in t and re.search(r"= \d+$", line.strip()):
            t[phases[2]] = ts
            http_fd = line.strip().rsplit("= ", 1)[1]
        elif call == "connect" and "htons(5432)" in args and phases[3] not in t:
            t[phases[3]] = ts
            pg_fd = args.split(",", 1)[0]
        elif call == "write" and pg_fd and args.startswith(pg_fd + ",") and ("\"P" in args or "\"Q" in args) and phases[4] not in t:
            t[phases[4]] = ts
        elif call in ("write", "writev", "sendmsg", "sendto") and http_fd and args.startswith(http_fd + ",") \
                and "HTTP/1.1" in args and phases[5] not in t:
            t[phases[5]] = ts
    rows.append({k: (v - t["exec"]) * 1000 for k, v in t.items() if k != "exec"})
print("\n| phase (strace timeline) | ms after exec, median of %d | each run |" % runs)
print("|---|---|---|")
for p in phases:
    vals = [r[p] for r in rows if p in r]
    if vals:
        print(f"| {p} | {statistics.median(vals):.1f} | {', '.join(f'{v:.1f}' for v in vals)} |")
print("\n(the first request is accepted when the poller's next curl arrives: the gap before it is the poll, not the service)")
PY

echo
echo "Quarkus start-up steps over 1 ms (-Dquarkus.debug.print-startup-times=true, one start):"
# shellcheck disable=SC2086
"$EXE" $NATIVE_OPTS -Dquarkus.debug.print-startup-times=true >"$OUT/steps.log" 2>&1 &
pid=$!
first_put >/dev/null
kill -TERM "$pid"
wait "$pid" || true
grep -o 'Build step [^ ]* completed in: [0-9]*ms' "$OUT/steps.log" | awk '{sub("ms","",$6); if ($6 + 0 >= 1) print "  " $3 ": " $6 " ms"}'
grep -o 'started in [0-9.]*s' "$OUT/steps.log" | sed 's/^/  Quarkus: /'

if [[ -n ${NATIVE_CALLGRIND:-} ]]; then
    command -v valgrind >/dev/null || { echo "NATIVE_CALLGRIND needs valgrind" >&2; exit 1; }
    echo
    echo "Instructions (callgrind, $NATIVE_CALLGRIND): start to the first answered PUT, then SIGTERM"
    # shellcheck disable=SC2086
    valgrind --tool=callgrind --callgrind-out-file="$OUT/cg.out" "$NATIVE_CALLGRIND" $NATIVE_OPTS >"$OUT/cg.log" 2>&1 &
    pid=$!
    first_put >/dev/null
    sleep 0.5
    kill -TERM "$pid"
    wait "$pid" || true
    callgrind_annotate --inclusive=yes --threshold=100 "$OUT/cg.out" 2>/dev/null >"$OUT/cg.txt"
    total=$(grep -o 'Collected : [0-9]*' "$OUT/cg.log" | grep -o '[0-9]*$')
    echo "  whole run: $total instructions"
    for part in ApplicationImpl_doStart Config_runtimeConfig SmallRyeConfig_buildMappings prepareDocuments \
            'addStaticModel' 'setupVertx.*deploy' 'checkForBuildTimeConfigChange.*deploy' 'startupEvent.*deploy' \
            'configureRegistry.*deploy' GCImpl_collectImpl; do
        line=$(grep -E "$part" "$OUT/cg.txt" | head -1 || true)
        [[ -n $line ]] && sed -E 's/ \[[^]]*\]$//; s/\?\?\?://; s/^ */  /' <<<"$line"
    done
fi
