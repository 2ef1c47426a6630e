#!/usr/bin/env bash
# Webhooks under load. Issue 10: change throughput with one webhook subscription active against the
# same service without one, in interleaved phases (rotated order, round after round), then the
# delivery latency (commit to the receiver's 2xx, from the service's own timer) and the backlog.
# Issue 24 (after that): hot sessions among ordinary ones with two subscriptions at an offered rate
# (commit-to-receipt latency during the load, as the receiver saw it, and the drain after it); the
# same mix as fast as the service answers, kill -9 at its end, and the time until every event has
# reached both subscriptions after the restart; an answering receiver beside one that never answers
# in time; the courier's claim statement explained at 100 and 10,000 pending deliveries.
#
#   bench/webhooks.sh            # env as for bench/run.sh, plus HOOK_ROUNDS=4, HOOK_SECS=10,
#                                #   HOOK_WARMUP=20, HOOK_PORT=18490, HOOK_RESULTS (a JSON file),
#                                #   HOOK_PHASES="throughput hot kill slow claim", HOOK_RATE=300,
#                                #   HOOK_CONNS=16, HOOK_HOT_SECS=12, HOOK_HOT_COUNT=6, HOOK_HOT_SHARE=0.3,
#                                #   HOOK_STATEMENTS=1 (time per statement, see below),
#                                #   HOOK_SVC_ENV="NAME=VALUE ..." (more environment for the service)
#
# One service; the receiver (webhook_receiver.py) is a threaded HTTP server on 127.0.0.1 answering
# 204 to every POST (after HOOK_SLOW_S=11 s on /slow...). Before an "on" phase the subscription is
# created (PUT /webhooks/bench, types ["*"]); before an "off" phase it is deleted, so an "off" phase
# sends nothing (what an "on" phase left over is delivered meanwhile and is part of the price of "on").
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HOOK_ROUNDS=${HOOK_ROUNDS:-4}
HOOK_SECS=${HOOK_SECS:-10}
HOOK_WARMUP=${HOOK_WARMUP:-20}
HOOK_PORT=${HOOK_PORT:-18490}
HOOK_RESULTS=${HOOK_RESULTS:-}
HOOK_HOT_SECS=${HOOK_HOT_SECS:-12}
HOOK_HOT_COUNT=${HOOK_HOT_COUNT:-6}
HOOK_HOT_SHARE=${HOOK_HOT_SHARE:-0.3}
HOOK_PHASES=${HOOK_PHASES:-throughput hot kill slow claim}
# The hot, kill and slow phases offer a fixed load (latency is only meaningful below saturation):
# about HOOK_RATE changes/s over HOOK_CONNS connections; HOOK_RATE=0: as fast as the service answers.
HOOK_RATE=${HOOK_RATE:-300}
HOOK_CONNS=${HOOK_CONNS:-16}
phase() { [[ " $HOOK_PHASES " == *" $1 "* ]]; }
# HOOK_STATEMENTS=1: the database's time per statement in the throughput rounds' "on" phases, from
# pg_stat_statements (the server must preload it: shared_preload_libraries), into $OUT/statements-on-ROUND.txt,
# and in the hot phase, into $OUT/statements-hot.txt
HOOK_STATEMENTS=${HOOK_STATEMENTS:-0}
statements() {  # statements reset | statements dump FILE: pg_stat_statements of the bench database
    ((HOOK_STATEMENTS)) || return 0
    if [[ $1 == reset ]]; then
        psql -X -q -At -d postgres -c "CREATE EXTENSION IF NOT EXISTS pg_stat_statements" -c "SELECT pg_stat_statements_reset()" >/dev/null
    else
        psql -X -q -d postgres >"$2" <<SQL
SELECT calls, round(total_exec_time::numeric, 0) AS total_ms, round((total_exec_time / calls)::numeric, 3) AS mean_ms,
       round((total_plan_time / calls)::numeric, 3) AS plan_ms, rows, shared_blks_hit / calls AS blks_per_call,
       regexp_replace(left(query, 160), '\s+', ' ', 'g') AS query
  FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
 WHERE d.datname = '$BENCH_DB' ORDER BY total_exec_time DESC LIMIT 25;
SQL
    fi
}

require_tools
ensure_build
mkdir -p "$OUT"
install_traps
log "raw output in $OUT"
create_database
find_postmaster

python3 "$BENCH_DIR/webhook_receiver.py" "$HOOK_PORT" >"$OUT/receiver.log" 2>&1 &
RECEIVER_PID=$!
EXTRA_PIDS+=("$RECEIVER_PID")
# the receiver's CPU (user + system) in clock ticks: it shares the service's cores
receiver_ticks() { awk '{print $14 + $15}' "/proc/$RECEIVER_PID/stat"; }

# private addresses allowed: the receiver is on 127.0.0.1
SVC_ENV=(REDFOUR_WEBHOOKS_ALLOW_PRIVATE=true ${HOOK_SVC_ENV:-})
start_service "$OUT/service.log"
read -r ms code cpu < <(wait_served) || die "the service did not start (see $OUT/service.log)"
log "started in $ms ms"
create_sessions 1 "$BENCH_SESSIONS"

HOOK=$BASE_URL/v1/stores/$BENCH_STORE/webhooks/bench
subscribe() {
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' \
        -d "{\"url\":\"http://127.0.0.1:$HOOK_PORT/hook\",\"types\":[\"*\"]}" "$HOOK"
}
unsubscribe() { curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $BENCH_API_KEY" "$HOOK"; }
metric() {  # metric NAME[{labels}]: the value on /q/metrics (sum over lines), before any exemplar
    curl -s "$BASE_URL/q/metrics" | awk -v m="$1" 'index($0, m) == 1 { sub(/ # .*/, ""); s += $NF } END { print s + 0 }'
}

backlog_after=0 drained_s=0 p50=0 p99=0 delivered=0 retrying=0
if ! phase throughput; then  # the JIT warmed up without a subscription, as the throughput rounds would
    wrk_phase warmup spread.lua "$BENCH_SPREAD_CONNS" "$HOOK_WARMUP"
    log "warm-up (off): $RESULT"
fi
if phase throughput; then
subscribe
wrk_phase warmup spread.lua "$BENCH_SPREAD_CONNS" "$HOOK_WARMUP"
log "warm-up (on): $RESULT"
for ((r = 1; r <= HOOK_ROUNDS; r++)); do
    order=(on off)
    ((r % 2 == 0)) && order=(off on)
    for v in "${order[@]}"; do
        if [[ $v == on ]]; then subscribe; else unsubscribe; fi
        [[ $v == on ]] && statements reset
        ticks0=$(receiver_ticks)
        wrk_phase "$v-$r" spread.lua "$BENCH_SPREAD_CONNS" "$HOOK_SECS"
        receiver_s=$(python3 -c "print(round(($(receiver_ticks) - $ticks0) / $CLK_TCK, 2))")
        [[ $v == on ]] && statements dump "$OUT/statements-on-$r.txt"
        record "$(merge "$RESULT" phase=webhooks variant="$v" round="$r" rss_kib="$(rss_kib)" cpu_receiver_s="$receiver_s")"
        log "$v #$r: $RESULT"
    done
done
subscribe
backlog_after=$(metric 'redfour_webhook_backlog')
began=$EPOCHREALTIME
deadline=$((SECONDS + 120))
while (($(metric 'redfour_webhook_backlog') > 0)) && ((SECONDS < deadline)); do sleep 1; done
drained_s=$(python3 -c "print(round($EPOCHREALTIME - $began, 1))")
p50=$(metric 'redfour_webhook_delivery_latency_seconds{quantile="0.5"')
p99=$(metric 'redfour_webhook_delivery_latency_seconds{quantile="0.99"')
delivered=$(metric 'redfour_webhook_deliveries_total{outcome="delivered"')
retrying=$(metric 'redfour_webhook_deliveries_total{outcome="retrying"')
log "backlog right after the load: $backlog_after; drained in $drained_s s; delivered $delivered, retried $retrying; latency p50 $p50 s, p99 $p99 s"
unsubscribe
fi

# --- issue 24: hot sessions, kill -9, a receiver that times out, the claim's cost ----------------
RECEIVER=http://127.0.0.1:$HOOK_PORT
hot_keys=()
for ((i = 1; i <= HOOK_HOT_COUNT; i++)); do hot_keys+=("bench-hot-hook-$i"); done
create_keys "${hot_keys[@]}"
MIX=(BENCH_HOT_SHARE="$HOOK_HOT_SHARE" BENCH_HOT_COUNT="$HOOK_HOT_COUNT" BENCH_HOT_PREFIX=bench-hot-hook-
     BENCH_RATE="$HOOK_RATE" BENCH_CONNS="$HOOK_CONNS")
subscribe_as() {  # subscribe_as ID: a subscription to every type, delivered to $RECEIVER/ID
    curl -sf -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' \
        -d "{\"url\":\"$RECEIVER/$1\",\"types\":[\"*\"]}" "$BASE_URL/v1/stores/$BENCH_STORE/webhooks/$1"
}
unsubscribe_as() { curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $BENCH_API_KEY" "$BASE_URL/v1/stores/$BENCH_STORE/webhooks/$1"; }
last_event() { psql_q -c "SELECT coalesce(max(id), 0) FROM session_event"; }
events_after() { psql_q -c "SELECT count(*) FROM session_event WHERE store = '$BENCH_STORE' AND id > $1"; }
received() { curl -s "$RECEIVER/distinct" | python3 -c "import json, sys; print(json.load(sys.stdin).get(sys.argv[1], 0))" "$1"; }
# await_all SINCE_EPOCH TIMEOUT_S EXPECTED NAME...: seconds from SINCE until every NAME received EXPECTED events
await_all() {
    local since=$1 timeout=$2 expected=$3 name
    shift 3
    local deadline=$((SECONDS + timeout))
    for name in "$@"; do
        while (($(received "$name") < expected)); do
            ((SECONDS < deadline)) || { echo "not within ${timeout}"; return 0; }
            sleep 0.1
        done
    done
    python3 -c "import sys, time; print(round(time.time() - float(sys.argv[1]), 1))" "$since"
}
window() { curl -s "$RECEIVER/stats?from=$1&to=$2"; }

# Hot sessions among ordinary ones, two subscriptions: latency during the load, then the drain.
if phase hot; then
subscribe_as hot-a
subscribe_as hot-b
first=$(last_event)
statements reset
t0=$EPOCHREALTIME
wrk_phase hot spread.lua "$HOOK_CONNS" "$HOOK_HOT_SECS" "${MIX[@]}"
t1=$EPOCHREALTIME
statements dump "$OUT/statements-hot.txt"
expected=$(events_after "$first")
drain=$(await_all "$t1" 120 "$expected" hot-a hot-b)
record "$(merge "$RESULT" phase=hot variant=two-subscriptions events="$expected" drained_s="$drain" during="$(window "$t0" "$t1")")"
log "hot: $RESULT; $expected events to each subscription; all received $drain s after the load stopped"
unsubscribe_as hot-a
unsubscribe_as hot-b
fi

# The same mix as fast as the service answers (a backlog builds), the service killed with kill -9
# at its end and started again.
if phase kill; then
subscribe_as kill-a
subscribe_as kill-b
first=$(last_event)
wrk_phase kill spread.lua "$BENCH_SPREAD_CONNS" "$HOOK_HOT_SECS" "${MIX[@]}" BENCH_RATE=0  # as fast as it answers
kill -KILL "$SVC_PID"
wait "$SVC_PID" 2>/dev/null || true
expected=$(events_after "$first")
before=$(($(received kill-a) + $(received kill-b)))
start_service "$OUT/service-after-kill.log"
read -r ms code cpu < <(wait_served) || die "the service did not start again (see $OUT/service-after-kill.log)"
recovered=$(await_all "$SVC_T0" 180 "$expected" kill-a kill-b)
record "$(merge "$RESULT" phase=kill variant=two-subscriptions events="$expected" received_before_kill="$before" restart_ms="$ms" recovered_s="$recovered")"
log "kill -9: $expected events to each subscription, $before of the $((2 * expected)) received before the kill; restarted in $ms ms; all received $recovered s after the restart began"
unsubscribe_as kill-a
unsubscribe_as kill-b
fi

# One receiver that never answers in time (slow: the service times out) beside one that answers.
if phase slow; then
subscribe_as fast
subscribe_as slow
first=$(last_event)
t0=$EPOCHREALTIME
wrk_phase slow spread.lua "$HOOK_CONNS" "$HOOK_HOT_SECS" "${MIX[@]}"
t1=$EPOCHREALTIME
expected=$(events_after "$first")
drain=$(await_all "$t1" 120 "$expected" fast)
record "$(merge "$RESULT" phase=slow variant=fast-beside-slow events="$expected" drained_s="$drain" during="$(window "$t0" "$t1")")"
log "fast beside slow: $RESULT; the fast one received all $expected events $drain s after the load stopped"
unsubscribe_as fast
unsubscribe_as slow
fi
stop_service

# The claim statement as the service runs it (read from DeliveryQueue.java), on a staged queue of
# 100 and of 10,000 pending deliveries of the events the load wrote; the service is stopped.
phase claim && claim_sql=$(python3 "$BENCH_DIR/webhook_claim_sql.py" "$ROOT/src/main/java/com/redfour/shopping/event/webhook/DeliveryQueue.java")
for pending in $(phase claim && echo 100 10000); do
    psql_q >/dev/null <<SQL
DELETE FROM webhook WHERE store = '$BENCH_STORE' AND id = 'plan';
INSERT INTO webhook (store, id, url, types, secret, created_at, updated_at, cursor, fanned_at)
VALUES ('$BENCH_STORE', 'plan', 'http://127.0.0.1:9/', '{*}', 'whsec_plan', now(), now(), 0, now());
INSERT INTO webhook_delivery (store, webhook_id, event_id, session_key, event_type, event_at, status, next_attempt_at)
SELECT store, 'plan', id, session_key, type, at, 'pending', now() FROM session_event
 WHERE store = '$BENCH_STORE' ORDER BY id DESC LIMIT $pending;
INSERT INTO webhook_queue (store, webhook_id, session_key, due_at, enqueued)
SELECT store, webhook_id, session_key, min(event_at), count(*) FROM webhook_delivery
 WHERE store = '$BENCH_STORE' AND webhook_id = 'plan' GROUP BY store, webhook_id, session_key;
ANALYZE webhook_delivery;
ANALYZE webhook_queue;
SQL
    queues=$(psql_q -c "SELECT count(*) FROM webhook_queue WHERE webhook_id = 'plan'")
    # batch 1: the same take at either size (25 queues, their heads); 16: the service's default, which
    # also answers up to 16 deliveries of each queue claimed (so more at 10,000 pending: what it takes)
    for batch in 1 16; do
        for run in 1 2 3 4 5; do
            psql_q >"$OUT/claim-plan-$pending-$batch-$run.txt" <<SQL
BEGIN;
PREPARE claim(int, int, text[], text[], int[], bigint, text, int) AS $claim_sql;
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) EXECUTE claim(100, 25, '{}', '{}', '{}', 60000, 'bench', $batch);
ROLLBACK;
SQL
        done
        ms=$(for run in 1 2 3 4 5; do awk '/^Execution Time/ {print $3}' "$OUT/claim-plan-$pending-$batch-$run.txt"; done | sort -n | sed -n 3p)
        rows=$(awk 'NR == 1 { match($0, /rows=[0-9]+/); print substr($0, RSTART + 5, RLENGTH - 5) }' "$OUT/claim-plan-$pending-$batch-3.txt")
        record "$(printf '{"phase":"claim","variant":"%s pending, batch %s","pending":%d,"queues":%d,"batch":%d,"rows":%d,"execution_ms_median":%s}' \
            "$pending" "$batch" "$pending" "$queues" "$batch" "$rows" "$ms")"
        log "claim with $pending pending deliveries in $queues queues, batch $batch: $ms ms, $rows deliveries answered (median of 5; plan in $OUT/claim-plan-$pending-$batch-3.txt)"
    done
done

python3 - "$OUT/raw.jsonl" "$HOOK_RESULTS" "$backlog_after" "$drained_s" "$p50" "$p99" "$delivered" "$retrying" <<'PY'
import json, statistics, sys
everything = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = [r for r in everything if r["phase"] == "webhooks"]
by = {}
for r in rows:
    by.setdefault(r["variant"], {})[r["round"]] = r
ratios = [by["on"][k]["rps"] / by["off"][k]["rps"] for k in by.get("on", {}) if k in by.get("off", {})] or [0]
med = lambda v: statistics.median(v)
summary = {v: {"rps": med([r["rps"] for r in by[v].values()]), "p99_ms": med([r["p99_ms"] for r in by[v].values()]),
               "non2xx": sum(r["non2xx"] + r["socket_errors"] for r in by[v].values()),
               "runs_rps": [by[v][k]["rps"] for k in sorted(by[v])],
               "cpu_s_per_round": {part: med([(r.get("cpu") or {}).get(f"cpu_{part}_s") or 0 if part != "receiver"
                                              else r.get("cpu_receiver_s") or 0 for r in by[v].values()])
                                   for part in ("service", "pg", "loadgen", "receiver")}}
           for v in ("off", "on") if v in by}
extra = dict(zip(["backlog_after_load", "drained_s", "latency_p50_s", "latency_p99_s", "delivered", "retried"],
                 [float(x) for x in sys.argv[3:9]]))
print(f"\n{len(ratios)} rounds, interleaved; medians")
print("| variant | req/s | on/off (median of per-round ratios) | p99 ms | non-2xx | req/s per round |")
print("|---|---|---|---|---|---|")
for v in [v for v in ("off", "on") if v in summary]:
    s = summary[v]
    ratio = "1.00" if v == "off" else f"{med(ratios):.2f}"
    print(f"| {v} | {s['rps']:,.0f} | {ratio} | {s['p99_ms']:.1f} | {s['non2xx']} | {', '.join(f'{x:,.0f}' for x in s['runs_rps'])} |")
for v in [v for v in ("off", "on") if v in summary]:
    c = summary[v]["cpu_s_per_round"]
    print(f"{v}: CPU seconds per round (median): service {c['service']:.2f}, "
          f"PostgreSQL {c['pg']:.2f}, load generator {c['loadgen']:.2f}, receiver {c['receiver']:.2f}")
print(f"\ndelivery latency (event recorded -> receiver's 2xx): p50 {extra['latency_p50_s'] * 1000:.0f} ms, "
      f"p99 {extra['latency_p99_s'] * 1000:.0f} ms; backlog right after the load {extra['backlog_after_load']:.0f}, "
      f"drained in {extra['drained_s']} s; {extra['delivered']:.0f} delivered, {extra['retried']:.0f} retried")
phases = {r["phase"]: r for r in everything if r["phase"] in ("hot", "kill", "slow")}
print("\n| phase | changes/s | events per subscription | commit to receipt during the load, p50 / p99 / max | all received |")
print("|---|---|---|---|---|")
for name, label, sub in (("hot", "hot sessions, two subscriptions", "hot-a"), ("slow", "answering receiver beside one that times out", "fast")):
    r = phases.get(name)
    if r:
        d = r["during"].get(sub, {})
        print(f"| {label} | {r['rps']:,.0f} | {r['events']:,} | {d.get('p50_ms') or 0:,.0f} / {d.get('p99_ms') or 0:,.0f} / "
              f"{d.get('max_ms') or 0:,.0f} ms | {r['drained_s']} s after the load |")
r = phases.get("kill")
if r:
    print(f"| kill -9 at the end of the load, restart | {r['rps']:,.0f} | {r['events']:,} | "
          f"{r['received_before_kill']:,} of {2 * r['events']:,} received before the kill | "
          f"{r['recovered_s']} s after the restart began (served after {r['restart_ms']} ms) |")
for r in everything:
    if r["phase"] == "claim":
        print(f"claim statement, {r['pending']:,} pending deliveries in {r['queues']:,} queues, batch {r['batch']}: "
              f"{r['execution_ms_median']} ms, {r['rows']} deliveries answered (median of 5)")
if sys.argv[2]:
    json.dump({"summary": summary, "on_off_ratio": med(ratios), **extra, "raw": everything}, open(sys.argv[2], "w"), indent=2)
PY
