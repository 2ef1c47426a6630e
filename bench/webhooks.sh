#!/usr/bin/env bash
# Webhooks under load (issue 10): change throughput with one webhook subscription active against
# the same service without one, in interleaved phases (rotated order, round after round), then the
# delivery latency (commit to the receiver's 2xx, from the service's own timer) and the backlog.
#
#   bench/webhooks.sh            # env as for bench/run.sh, plus HOOK_ROUNDS=4, HOOK_SECS=10,
#                                #   HOOK_WARMUP=20, HOOK_PORT=18490, HOOK_RESULTS (a JSON file)
#
# One service; the receiver is a small threaded HTTP server on 127.0.0.1 answering 204 to every
# POST. Before an "on" phase the subscription is created (PUT /webhooks/bench, types ["*"]); before
# an "off" phase it is deleted, so an "off" phase sends nothing (what an "on" phase left over is
# delivered meanwhile and is part of the price of "on").
set -euo pipefail
source "$(dirname "$0")/lib.sh"

HOOK_ROUNDS=${HOOK_ROUNDS:-4}
HOOK_SECS=${HOOK_SECS:-10}
HOOK_WARMUP=${HOOK_WARMUP:-20}
HOOK_PORT=${HOOK_PORT:-18490}
HOOK_RESULTS=${HOOK_RESULTS:-}

require_tools
ensure_build
mkdir -p "$OUT"
install_traps
log "raw output in $OUT"
create_database
find_postmaster

python3 - "$HOOK_PORT" >"$OUT/receiver.log" 2>&1 <<'PY' &
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()
    def log_message(self, *args):
        pass
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
PY
EXTRA_PIDS+=($!)

# private addresses allowed: the receiver is on 127.0.0.1
SVC_ENV=(REDFOUR_WEBHOOKS_ALLOW_PRIVATE=true)
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

subscribe
wrk_phase warmup spread.lua "$BENCH_SPREAD_CONNS" "$HOOK_WARMUP"
log "warm-up (on): $RESULT"
for ((r = 1; r <= HOOK_ROUNDS; r++)); do
    order=(on off)
    ((r % 2 == 0)) && order=(off on)
    for v in "${order[@]}"; do
        if [[ $v == on ]]; then subscribe; else unsubscribe; fi
        wrk_phase "$v-$r" spread.lua "$BENCH_SPREAD_CONNS" "$HOOK_SECS"
        record "$(merge "$RESULT" phase=webhooks variant="$v" round="$r" rss_kib="$(rss_kib)")"
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
stop_service

python3 - "$OUT/raw.jsonl" "$HOOK_RESULTS" "$backlog_after" "$drained_s" "$p50" "$p99" "$delivered" "$retrying" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by = {}
for r in rows:
    by.setdefault(r["variant"], {})[r["round"]] = r
ratios = [by["on"][k]["rps"] / by["off"][k]["rps"] for k in by["on"] if k in by["off"]]
med = lambda v: statistics.median(v)
summary = {v: {"rps": med([r["rps"] for r in by[v].values()]), "p99_ms": med([r["p99_ms"] for r in by[v].values()]),
               "non2xx": sum(r["non2xx"] + r["socket_errors"] for r in by[v].values()),
               "runs_rps": [by[v][k]["rps"] for k in sorted(by[v])]} for v in ("off", "on")}
extra = dict(zip(["backlog_after_load", "drained_s", "latency_p50_s", "latency_p99_s", "delivered", "retried"],
                 [float(x) for x in sys.argv[3:9]]))
print(f"\n{len(ratios)} rounds, interleaved; medians")
print("| variant | req/s | on/off (median of per-round ratios) | p99 ms | non-2xx | req/s per round |")
print("|---|---|---|---|---|---|")
for v in ("off", "on"):
    s = summary[v]
    ratio = "1.00" if v == "off" else f"{med(ratios):.2f}"
    print(f"| {v} | {s['rps']:,.0f} | {ratio} | {s['p99_ms']:.1f} | {s['non2xx']} | {', '.join(f'{x:,.0f}' for x in s['runs_rps'])} |")
print(f"\ndelivery latency (event recorded -> receiver's 2xx): p50 {extra['latency_p50_s'] * 1000:.0f} ms, "
      f"p99 {extra['latency_p99_s'] * 1000:.0f} ms; backlog right after the load {extra['backlog_after_load']:.0f}, "
      f"drained in {extra['drained_s']} s; {extra['delivered']:.0f} delivered, {extra['retried']:.0f} retried")
if sys.argv[2]:
    json.dump({"summary": summary, "on_off_ratio": med(ratios), **extra, "raw": rows}, open(sys.argv[2], "w"), indent=2)
PY
