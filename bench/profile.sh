#!/usr/bin/env bash
# Where the service's time goes under the spread load: JDK Flight Recorder (settings=profile) over
# one spread phase, then bench/jfr_top.py sums the samples by cost centre.
#
#   ./mvnw -B package -DskipTests && bench/profile.sh
#
# Environment as for bench/run.sh, plus PROFILE_WARMUP=30 and PROFILE_SECS=30 (seconds),
# PROFILE_PHASE=spread|hot, PROFILE_WEBHOOK=1 (with a webhook subscription). Writes $OUT/spread.jfr and $OUT/profile.txt (printed too).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

PROFILE_WARMUP=${PROFILE_WARMUP:-30}
PROFILE_SECS=${PROFILE_SECS:-30}
PROFILE_PHASE=${PROFILE_PHASE:-spread}

require_tools jcmd jfr
ensure_build
mkdir -p "$OUT"
install_traps
create_database
find_postmaster

[[ ${PROFILE_WEBHOOK:-0} == 1 ]] && SVC_ENV=(REDFOUR_WEBHOOKS_ALLOW_PRIVATE=true)  # the receiver is on 127.0.0.1
start_service "$OUT/service.log"
wait_served >/dev/null || die "the service did not start (see $OUT/service.log)"
create_sessions 1 "$BENCH_SESSIONS"
create_keys bench-hot-profile-00000 bench-hot-profile-00000-r{1..9}

run_phase() {  # run_phase NAME SECONDS
    if [[ $PROFILE_PHASE == hot ]]; then
        wrk_phase "$1" hot.lua "$BENCH_HOT_CONNS" "$2" BENCH_HOT_KEY=bench-hot-profile-00000
    else
        wrk_phase "$1" spread.lua "$BENCH_SPREAD_CONNS" "$2"
    fi
}

# PROFILE_WEBHOOK=1: one webhook subscription to every type, delivered to bench/webhook_receiver.py
# (the cost of delivery in the profile, as in bench/webhooks.sh's "on" phases)
if [[ ${PROFILE_WEBHOOK:-0} == 1 ]]; then
    python3 "$BENCH_DIR/webhook_receiver.py" 18491 >"$OUT/receiver.log" 2>&1 &
    EXTRA_PIDS+=($!)
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' \
        -d '{"url":"http://127.0.0.1:18491/hook","types":["*"]}' "$BASE_URL/v1/stores/$BENCH_STORE/webhooks/profile" \
        || die "could not subscribe the profile's receiver"
fi

log "warm-up ${PROFILE_WARMUP}s"
run_phase warmup "$PROFILE_WARMUP"
jfr_file=$OUT/$PROFILE_PHASE.jfr
jcmd "$SVC_PID" JFR.start name=bench settings=profile filename="$jfr_file" >/dev/null
log "recording ${PROFILE_SECS}s of $PROFILE_PHASE load"
run_phase profiled "$PROFILE_SECS"
log "profiled phase: $RESULT"
jcmd "$SVC_PID" JFR.stop name=bench >/dev/null
stop_service
python3 "$BENCH_DIR/jfr_top.py" "$jfr_file" "$RESULT" | tee "$OUT/profile.txt"
