# Shared by bench/run.sh, bench/knobs.sh and bench/profile.sh: configuration, the service's life
# cycle, the load generators and clean-up. Source it; it defines functions and variables only.
# Every figure a phase produces is appended as one JSON object per line to $OUT/raw.jsonl.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")

# --- configuration (environment) ------------------------------------------------------------
export PGHOST=${PGHOST:-127.0.0.1}
export PGPORT=${PGPORT:-5432}
export PGUSER=${PGUSER:-postgres}
export PGPASSWORD=${PGPASSWORD:-bench}
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"  # no NOTICEs in the output
BENCH_DB=${BENCH_DB:-redfour_bench}
BENCH_PORT=${BENCH_PORT:-18090}
BENCH_JAVA=${BENCH_JAVA:-java}
BENCH_HEAP=${BENCH_HEAP:--Xmx512m}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-}
BENCH_STORE=${BENCH_STORE:-demo}
BENCH_API_KEY=${BENCH_API_KEY:-demo-key}
BENCH_SESSIONS=${BENCH_SESSIONS:-1000}
BENCH_KEY_PREFIX=${BENCH_KEY_PREFIX:-bench-session-}
BENCH_SKUS=${BENCH_SKUS:-10}
BENCH_SPREAD_CONNS=${BENCH_SPREAD_CONNS:-64}
BENCH_HOT_CONNS=${BENCH_HOT_CONNS:-32}
BENCH_WRK_THREADS=${BENCH_WRK_THREADS:-2}
BENCH_PGBENCH_JOBS=${BENCH_PGBENCH_JOBS:-2}
BENCH_BUILD=${BENCH_BUILD:-auto}   # auto: build only when target/quarkus-app is missing; always; never
BENCH_KEEP_DB=${BENCH_KEEP_DB:-0}
OUT=${BENCH_OUT:-$ROOT/bench/out/$(date -u +%Y%m%dT%H%M%SZ)}
JAR=${BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
# A native executable (target/*-runner of ./mvnw package -Dnative) to run instead of the jar: started as
# "$BENCH_NATIVE $BENCH_HEAP $BENCH_JAVA_OPTS", without java; empty: the jar on BENCH_JAVA.
BENCH_NATIVE=${BENCH_NATIVE:-}
BASE_URL=http://127.0.0.1:$BENCH_PORT  # start_service listens on BENCH_PORT
export BENCH_SESSIONS BENCH_KEY_PREFIX BENCH_STORE BENCH_API_KEY BENCH_SKUS BENCH_WRK_THREADS

SVC_PID=
EXTRA_PIDS=()  # more services (bench/knobs.sh runs several side by side)
CHILD_PID=
CREATED_DB=0

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() {
    log "ERROR: $*"
    [[ -n ${SVC_PID:-} ]] && ! kill -0 "$SVC_PID" 2>/dev/null && service_exit
    exit 1
}

psql_q() { psql -X -q -v ON_ERROR_STOP=1 -At -d "$BENCH_DB" "$@"; }

# --- prerequisites ----------------------------------------------------------------------------
require_tools() {
    local missing=()
    for tool in wrk pgbench psql curl "$BENCH_JAVA" python3 "$@"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if ((${#missing[@]})); then
        die "missing: ${missing[*]} (Debian: apt-get install -y wrk postgresql-client curl python3; a JDK 17+)"
    fi
}

ensure_build() {
    case $BENCH_BUILD in
        always) log "building: ./mvnw -B package -DskipTests"; (cd "$ROOT" && ./mvnw -B -q package -DskipTests) ;;
        auto) if [[ ! -f $JAR ]]; then
                  log "no $JAR: building with ./mvnw -B package -DskipTests"
                  (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
              fi ;;
        never) ;;
        *) die "BENCH_BUILD must be auto, always or never" ;;
    esac
    # BENCH_BUILD=never: each variant's jar or executable is checked when it is applied (apply_variant).
    [[ -f $JAR || $BENCH_BUILD == never ]] || die "$JAR not found: run ./mvnw -B package -DskipTests first"
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# --- database -----------------------------------------------------------------------------------
create_database() {
    psql -X -q -At -d postgres -c 'select 1' >/dev/null 2>&1 \
        || die "PostgreSQL not reachable at $PGHOST:$PGPORT as $PGUSER (set PGHOST/PGPORT/PGUSER/PGPASSWORD)"
    [[ $BENCH_DB =~ ^[a-z_][a-z0-9_]*$ ]] || die "BENCH_DB must be a plain lower-case identifier"
    log "creating database $BENCH_DB on $PGHOST:$PGPORT"
    psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" \
        -c "CREATE DATABASE $BENCH_DB" >/dev/null
    CREATED_DB=1
    local max used
    max=$(psql -X -At -d postgres -c 'show max_connections')
    used=$(psql -X -At -d postgres -c 'select count(*) from pg_stat_activity')
    if ((max - used < BENCH_SPREAD_CONNS + 30)); then
        log "WARNING: max_connections=$max with $used in use: $BENCH_SPREAD_CONNS pgbench clients plus the service's pool may not fit"
    fi
}

drop_database() {
    if ((CREATED_DB)) && [[ $BENCH_KEEP_DB != 1 ]]; then
        psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 \
            && log "dropped database $BENCH_DB"
        CREATED_DB=0
    fi
}

# --- the service --------------------------------------------------------------------------------
api_key_hash() { printf %s "$BENCH_API_KEY" | sha256sum | cut -d' ' -f1; }

# start_service LOGFILE [extra JVM options...]: starts the packaged service in the background, sets
# SVC_PID and SVC_T0 (epoch seconds with microseconds, taken just before the JVM is launched).
# Extra environment for the service is taken from SVC_ENV (an array of NAME=VALUE).
start_service() {
    local logfile=$1
    shift
    port_free "$BENCH_PORT" || die "port $BENCH_PORT is taken (set BENCH_PORT)"
    local -a env_vars=(
        QUARKUS_DATASOURCE_REACTIVE_URL="postgresql://$PGHOST:$PGPORT/$BENCH_DB"
        QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:$PGPORT/$BENCH_DB"
        QUARKUS_DATASOURCE_USERNAME="$PGUSER"
        QUARKUS_DATASOURCE_PASSWORD="$PGPASSWORD"
        REDFOUR_API_KEYS="$BENCH_STORE:$(api_key_hash)"
        QUARKUS_HTTP_PORT="$BENCH_PORT"
        QUARKUS_HTTP_HOST=127.0.0.1
    )
    # shellcheck disable=SC2206
    local -a jvm=($BENCH_HEAP $BENCH_JAVA_OPTS "$@")
    local -a command=("$BENCH_JAVA" "${jvm[@]}" -jar "$JAR")
    [[ -n $BENCH_NATIVE ]] && command=("$BENCH_NATIVE" "${jvm[@]}")
    SVC_T0=$EPOCHREALTIME
    env "${env_vars[@]}" ${SVC_ENV[@]+"${SVC_ENV[@]}"} "${command[@]}" >"$logfile" 2>&1 &
    SVC_PID=$!
}

# wait_served: polls a real API request until the service answers it with any HTTP status: a PUT
# (find-or-create) of a session key not used before, as a storefront's first call after a cold start
# is; prints the milliseconds since SVC_T0, the status (201 when it went through) and the CPU
# milliseconds the JVM had used by then.
wait_served() {
    local code deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-90}))
    # A new key each time (this runs in a subshell, so a counter would not survive): the clock.
    local url=$BASE_URL/v1/stores/$BENCH_STORE/sessions/bench-startup-${EPOCHREALTIME/./}
    while :; do
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X PUT -H "Authorization: Bearer $BENCH_API_KEY" \
            -H 'Content-Type: application/json' -d '{"landing":"/rockets/falcon"}' "$url" || true)
        if [[ $code != 000 ]]; then
            local t1=$EPOCHREALTIME ticks
            ticks=$(svc_ticks)
            python3 -c "import sys; print(round((float(sys.argv[2]) - float(sys.argv[1])) * 1000), sys.argv[3],
                round(int(sys.argv[4]) * 1000 / int(sys.argv[5])))" "$SVC_T0" "$t1" "$code" "$ticks" "$CLK_TCK"
            return 0
        fi
        kill -0 "$SVC_PID" 2>/dev/null || { log "the service exited during start-up (see service_exit below)"; return 1; }
        ((SECONDS < deadline)) || { log "service not serving after ${BENCH_START_TIMEOUT:-90}s"; return 1; }
        sleep 0.005
    done
}

# service_exit: after a failure, says how the service process ended (e.g. 143: SIGTERM from outside).
service_exit() {
    local rc=0
    [[ -n $SVC_PID ]] || return 0
    if kill -0 "$SVC_PID" 2>/dev/null; then
        log "the service (pid $SVC_PID) is still running"
    else
        wait "$SVC_PID" 2>/dev/null || rc=$?
        log "the service (pid $SVC_PID) ended with status $rc$( ((rc > 128)) && echo " (signal $((rc - 128)), not sent by this script)")"
        SVC_PID=
    fi
}

stop_service() {
    [[ -n $SVC_PID ]] || return 0
    if kill -0 "$SVC_PID" 2>/dev/null; then
        kill -TERM "$SVC_PID" 2>/dev/null || true
        local i
        for ((i = 0; i < 300; i++)); do
            kill -0 "$SVC_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$SVC_PID" 2>/dev/null && kill -KILL "$SVC_PID" 2>/dev/null
    fi
    wait "$SVC_PID" 2>/dev/null || true
    SVC_PID=
}

# apply_variant 'name [NAME=VALUE...]': sets JAR, BENCH_HEAP, BENCH_JAVA_OPTS and SVC_ENV for one
# variant of bench/knobs.sh or bench/startup.sh. BENCH_JAR, BENCH_JAVA, BENCH_HEAP and BENCH_JAVA_OPTS change how
# the JVM is started (several JVM options: join them with '+-'); BENCH_NATIVE=<executable> runs a native
# executable instead (with BENCH_HEAP and BENCH_JAVA_OPTS as its options); anything else goes into the
# service's environment.
DEFAULT_JAR=$JAR DEFAULT_HEAP=$BENCH_HEAP DEFAULT_OPTS=$BENCH_JAVA_OPTS DEFAULT_JAVA=$BENCH_JAVA DEFAULT_NATIVE=$BENCH_NATIVE
apply_variant() {
    local -a words
    read -r -a words <<<"$1"
    JAR=$DEFAULT_JAR BENCH_HEAP=$DEFAULT_HEAP BENCH_JAVA_OPTS=$DEFAULT_OPTS BENCH_JAVA=$DEFAULT_JAVA BENCH_NATIVE=$DEFAULT_NATIVE
    SVC_ENV=()
    local w
    for w in "${words[@]:1}"; do
        case $w in
            BENCH_JAR=*) JAR=${w#BENCH_JAR=} ;;
            BENCH_JAVA=*) BENCH_JAVA=${w#BENCH_JAVA=} ;;
            BENCH_NATIVE=*) BENCH_NATIVE=${w#BENCH_NATIVE=} ;;
            BENCH_HEAP=*) BENCH_HEAP=${w#BENCH_HEAP=}; BENCH_HEAP=${BENCH_HEAP//+-/ -} ;;
            BENCH_JAVA_OPTS=*) BENCH_JAVA_OPTS=${w#BENCH_JAVA_OPTS=}; BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS//+-/ -} ;;
            *=*) SVC_ENV+=("$w") ;;
            *) die "variant '$1': '$w' is not NAME=VALUE" ;;
        esac
    done
    if [[ -n $BENCH_NATIVE ]]; then
        [[ -x $BENCH_NATIVE ]] || die "variant '$1': no executable $BENCH_NATIVE (./mvnw package -Dnative)"
        return 0
    fi
    [[ -f $JAR ]] || die "variant '$1': no $JAR"
    command -v "$BENCH_JAVA" >/dev/null || die "variant '$1': no $BENCH_JAVA"
}

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$SVC_PID/status"; }
hwm_kib() { awk '/^VmHWM:/ {print $2}' "/proc/$SVC_PID/status"; }

# --- load ---------------------------------------------------------------------------------------
# run_child FILE COMMAND...: runs the command in the background, its output to FILE, and waits
# for it, so that the traps can end it. (The output is redirected here, not around the call: a
# redirection around the call would also catch what the traps print.)
run_child() {
    local file=$1
    shift
    "$@" >"$file" 2>&1 &
    CHILD_PID=$!
    local rc=0
    wait "$CHILD_PID" || rc=$?
    CHILD_PID=
    return $rc
}

# create_sessions FIRST LAST: PUTs sessions <prefix>FIRST..LAST (find-or-create) with one curl.
create_sessions() {
    local first=$1 last=$2 cfg=$OUT/create.curl i
    : >"$cfg"
    for ((i = first; i <= last; i++)); do
        printf 'url = "%s/v1/stores/%s/sessions/%s%06d"\noutput = "/dev/null"\n' \
            "$BASE_URL" "$BENCH_STORE" "$BENCH_KEY_PREFIX" "$i" >>"$cfg"
    done
    create_keys_from "$cfg"
}

# create_keys KEY...: PUTs the given session keys.
create_keys() {
    local cfg=$OUT/create.curl k
    : >"$cfg"
    for k in "$@"; do
        printf 'url = "%s/v1/stores/%s/sessions/%s"\noutput = "/dev/null"\n' "$BASE_URL" "$BENCH_STORE" "$k" >>"$cfg"
    done
    create_keys_from "$cfg"
}

create_keys_from() {
    local codes
    codes=$(curl -s --no-progress-meter -Z --parallel-max 16 -X PUT -H "Authorization: Bearer $BENCH_API_KEY" \
        -H 'Content-Type: application/json' -d '{"landing":"/rockets/falcon","referrer":"https://search.example/?q=rockets"}' \
        -w '%{http_code}\n' -K "$1" 2>"$OUT/create.err" | sort | uniq -c | tr -s ' ' | tr '\n' ';') || true
    [[ $codes =~ ^(\ ?[0-9]+\ 20[01]\;)+$ ]] || die "creating sessions answered: ${codes:0:300}"
}

# prime_database: before the measured services start, a throwaway service (this configuration)
# creates the schema and the BENCH_SESSIONS sessions and runs BENCH_PRIME_SECS (10) of spread load,
# so that every table has rows; then it stops and the tables are analysed. A service whose
# connections first run their statements on empty tables keeps plans made for them (cached with the
# prepared statements): in bench/knobs.sh the first of two identical services used 1.7 x the
# PostgreSQL CPU per change of the second until its connections were renewed (docs/performance.md).
prime_database() {
    local keep_port=$BENCH_PORT keep_url=$BASE_URL
    log "priming the database: schema, $BENCH_SESSIONS sessions, ${BENCH_PRIME_SECS:-10}s of load"
    start_service "$OUT/service-prime.log"
    read -r PRIME_MS PRIME_CODE PRIME_CPU < <(wait_served) || die "the priming service did not start (see $OUT/service-prime.log)"
    create_sessions 1 "$BENCH_SESSIONS"
    wrk_phase prime spread.lua "$BENCH_SPREAD_CONNS" "${BENCH_PRIME_SECS:-10}"
    stop_service
    psql_q -c "ANALYZE" >/dev/null
    BENCH_PORT=$keep_port BASE_URL=$keep_url
}

# --- CPU accounting (clock ticks, CLK_TCK per second) ------------------------------------------
# Where the CPU of a phase went: the service's JVM, the PostgreSQL server (its postmaster, live
# children and reaped children: every backend, the WAL writer, autovacuum...) and the load generator.
CLK_TCK=$(getconf CLK_TCK 2>/dev/null || echo 100)
PG_POSTMASTER=

find_postmaster() {
    # The checkpointer lives as long as the server; its parent is the postmaster.
    local child
    child=$(psql -X -At -d postgres -c "select pid from pg_stat_activity where backend_type = 'checkpointer'" 2>/dev/null) || true
    [[ -n $child ]] && PG_POSTMASTER=$(ps -o ppid= -p "$child" 2>/dev/null | tr -d ' ') || true
    if [[ -z $PG_POSTMASTER || ! -r /proc/$PG_POSTMASTER/stat ]] || ! grep -q postgres "/proc/$PG_POSTMASTER/comm" 2>/dev/null; then
        PG_POSTMASTER=  # a server on another host, or not ours to read: PostgreSQL's CPU is not counted
        log "PostgreSQL's CPU will not be counted (no local postmaster found)"
    fi
}

pg_ticks() {
    [[ -n $PG_POSTMASTER ]] || { echo null; return; }
    local -a f
    local total c
    read -r -a f <"/proc/$PG_POSTMASTER/stat"
    total=$((f[13] + f[14] + f[15] + f[16]))
    for c in $(ps -o pid= --ppid "$PG_POSTMASTER"); do
        read -r -a f 2>/dev/null <"/proc/$c/stat" || continue
        total=$((total + f[13] + f[14]))
    done
    echo "$total"
}

svc_ticks() {
    [[ -n $SVC_PID && -r /proc/$SVC_PID/stat ]] || { echo null; return; }
    local -a f
    read -r -a f <"/proc/$SVC_PID/stat"
    echo $((f[13] + f[14]))
}

children_ms() {  # user+system CPU in ms of the reaped children, from the output of bash's times in $1
    local line
    line=$(tail -1 "$1")
    python3 -c '
import re, sys
total = 0.0
for m, s in re.findall(r"(\d+)m([0-9.]+)s", sys.argv[1]):
    total += int(m) * 60 + float(s)
print(round(total * 1000))' "$line"
}

# cpu_begin / cpu_end: CPU_JSON becomes the CPU seconds each part used in between.
cpu_begin() {
    times >"$OUT/times0.txt"  # in this shell: a subshell ($(...)) has children of its own
    CPU0_GEN=$(children_ms "$OUT/times0.txt")
    CPU0_SVC=$(svc_ticks)
    CPU0_PG=$(pg_ticks)
}

cpu_end() {
    local svc pg gen
    svc=$(svc_ticks)
    pg=$(pg_ticks)
    times >"$OUT/times1.txt"
    gen=$(children_ms "$OUT/times1.txt")
    CPU_JSON=$(python3 -c '
import json, sys
def delta(a, b, scale):
    return None if "null" in (a, b) else round((int(b) - int(a)) / scale, 2)
tck = float(sys.argv[7])
print(json.dumps({"cpu_service_s": delta(sys.argv[1], sys.argv[2], tck),
                  "cpu_pg_s": delta(sys.argv[3], sys.argv[4], tck),
                  "cpu_loadgen_s": delta(sys.argv[5], sys.argv[6], 1000.0)}))' \
        "$CPU0_SVC" "$svc" "$CPU0_PG" "$pg" "$CPU0_GEN" "$gen" "$CLK_TCK")
}

# merge JSON NAME=VALUE...: JSON with the fields added (a VALUE that parses as JSON is taken as such).
merge() { python3 "$BENCH_DIR/report.py" merge "$@"; }

# wrk_phase NAME SCRIPT CONNS SECONDS [extra env...]: sets RESULT to the WRK_RESULT JSON, with the
# CPU each part used. (Not meant for $(...): the traps must see the load generator's pid.)
wrk_phase() {
    local name=$1 script=$2 conns=$3 secs=$4
    shift 4
    local file=$OUT/wrk-$name.txt load
    load=$(loadavg)
    cpu_begin
    run_child "$file" env "$@" wrk -t "$BENCH_WRK_THREADS" -c "$conns" -d "${secs}s" --timeout 10s \
        -s "$BENCH_DIR/lua/$script" "$BASE_URL" || { cat "$file" >&2; die "wrk failed"; }
    cpu_end
    RESULT=$(grep '^WRK_RESULT ' "$file" | sed 's/^WRK_RESULT //')
    [[ -n $RESULT ]] || die "no result from wrk (see $file)"
    RESULT=$(merge "$RESULT" "cpu=$CPU_JSON" "load=$load")
}

# pgbench_phase NAME SCRIPT CLIENTS SECONDS [pgbench -D options...]: sets RESULT to a JSON object.
pgbench_phase() {  # pgbench_phase NAME SCRIPT CLIENTS SECS [pgbench args]; SCRIPT: under bench/sql/, or an absolute path
    local name=$1 script=$2 clients=$3 secs=$4
    shift 4
    [[ $script == /* ]] || script=$BENCH_DIR/sql/$script
    local dir=$OUT/pgbench-$name load
    mkdir -p "$dir"
    load=$(loadavg)
    cpu_begin
    run_child "$dir/stdout.txt" pgbench -n -M prepared -c "$clients" -j "$BENCH_PGBENCH_JOBS" -T "$secs" \
        -l --log-prefix="$dir/tx" -f "$script" -D store="$BENCH_STORE" "$@" "$BENCH_DB" \
        || { tail -20 "$dir/stdout.txt" >&2; die "pgbench failed (see $dir)"; }
    cpu_end
    RESULT=$(python3 "$BENCH_DIR/report.py" pgbench "$dir")
    RESULT=$(merge "$RESULT" "cpu=$CPU_JSON" "load=$load")
    rm -f "$dir"/tx.*
}

# The session's whole document as a naive design would store it: the row's document with the log
# (its newest 200 entries, kept in session_log since V6) back inside it, as before V6.
FULL_DOCUMENT="s.document || jsonb_build_object('logs', coalesce((SELECT jsonb_agg(e.v ORDER BY e.c, e.n)
      FROM (SELECT x.v, l.chunk AS c, x.n
              FROM session_log l, jsonb_array_elements(('[' || l.entries || ']')::jsonb) WITH ORDINALITY x(v, n)
             WHERE l.store = s.store AND l.key = s.key AND l.chunk >= s.log_start / 20
             ORDER BY l.chunk DESC, x.n DESC LIMIT 200) e), '[]'::jsonb))"

refresh_copy() {  # refresh_copy LIKE-PATTERN
    # session_copy: the sessions whose key matches, as the service holds them now, each with its whole
    # document (the log inside, as a naive design rewrites it); same columns and indexes as the
    # service's table.
    psql_q -c "CREATE TABLE IF NOT EXISTS session_copy (LIKE session INCLUDING ALL)" \
        -c "TRUNCATE session_copy" \
        -c "INSERT INTO session_copy SELECT * FROM session WHERE key LIKE '$1'" \
        -c "UPDATE session_copy s SET document = $FULL_DOCUMENT" \
        -c "ANALYZE session_copy" >/dev/null
}

doc_bytes() {  # doc_bytes TABLE LIKE-PATTERN: average size of the matching sessions' whole documents as JSON text
    local doc="s.document"
    [[ $1 == session ]] && doc=$FULL_DOCUMENT
    psql_q -c "SELECT coalesce(round(avg(octet_length(($doc)::text))), 0) FROM $1 s WHERE key LIKE '$2'"
}

record() { printf '%s\n' "$1" >>"$OUT/raw.jsonl"; }  # record JSON: one line of raw figures

loadavg() { cut -d' ' -f1 /proc/loadavg; }

# --- clean-up -----------------------------------------------------------------------------------
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [[ -n $CHILD_PID ]]; then
        kill -TERM "$CHILD_PID" 2>/dev/null || true
        wait "$CHILD_PID" 2>/dev/null || true
    fi
    stop_service
    local p
    for p in ${EXTRA_PIDS[@]+"${EXTRA_PIDS[@]}"}; do
        SVC_PID=$p
        stop_service
    done
    drop_database
    exit $rc
}

install_traps() {
    trap cleanup EXIT
    trap 'log "interrupted"; exit 130' INT TERM
}
