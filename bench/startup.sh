#!/usr/bin/env bash
# Start-up of the packaged service, variants side by side: each round starts every variant once
# (rotated order) and measures process start to the first served API request, and the CPU the JVM
# had used by then (less sensitive than wall time to other work on the machine).
#
#   bench/startup.sh 'default' 'c1 BENCH_JAVA_OPTS=-XX:TieredStopAtLevel=1' \
#                    'serial BENCH_JAVA_OPTS=-XX:+UseSerialGC' 'noflyway QUARKUS_FLYWAY_MIGRATE_AT_START=false'
#
# Variants as for bench/knobs.sh; the word CDS in BENCH_JAVA_OPTS stands for a dynamic AppCDS archive
# that this script makes first with that variant's other options (-XX:SharedArchiveFile=...).
# Environment as for bench/run.sh, plus STARTUP_ROUNDS=7, STARTUP_RESULTS (a JSON file; default none).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STARTUP_ROUNDS=${STARTUP_ROUNDS:-7}
STARTUP_RESULTS=${STARTUP_RESULTS:-}
(($# >= 1)) || die "usage: bench/startup.sh 'name [NAME=VALUE...]'..."
VARIANTS=("$@")

require_tools
ensure_build
mkdir -p "$OUT"
install_traps
create_database

# The schema is created by a first start, not measured.
apply_variant "${VARIANTS[0]}"
start_service "$OUT/service-first.log"
wait_served >/dev/null || die "the service did not start (see $OUT/service-first.log)"
stop_service

with_cds() {  # the JVM options of the current variant, the CDS word replaced by the archive of variant $1
    local opts=${BENCH_JAVA_OPTS//CDS/-XX:SharedArchiveFile=$OUT/$1.jsa}
    echo "$opts"
}

n=${#VARIANTS[@]}
for ((i = 0; i < n; i++)); do
    apply_variant "${VARIANTS[i]}"
    name=${VARIANTS[i]%% *}
    if [[ $BENCH_JAVA_OPTS == *CDS* ]]; then
        log "$name: writing its AppCDS archive"
        BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS//CDS/}
        start_service "$OUT/service-$name-dump.log" "-XX:ArchiveClassesAtExit=$OUT/$name.jsa"
        wait_served >/dev/null || die "$name did not start"
        # Some traffic, so that the archive holds the classes of the request path too.
        curl -s -o /dev/null -X PUT -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' \
            -d '{}' "$BASE_URL/v1/stores/$BENCH_STORE/sessions/bench-cds-training-0001" || true
        curl -s -o /dev/null -X POST -H "Authorization: Bearer $BENCH_API_KEY" -H 'Content-Type: application/json' \
            -d '{"sku":"RKT-1","name":"Falcon rocket","price":19.99,"quantity":1}' \
            "$BASE_URL/v1/stores/$BENCH_STORE/sessions/bench-cds-training-0001/items" || true
        stop_service
        [[ -f $OUT/$name.jsa ]] || die "$name: no archive written (see $OUT/service-$name-dump.log)"
    fi
done

for ((r = 1; r <= STARTUP_ROUNDS; r++)); do
    for ((j = 0; j < n; j++)); do
        i=$(((j + r - 1) % n))
        apply_variant "${VARIANTS[i]}"
        name=${VARIANTS[i]%% *}
        BENCH_JAVA_OPTS=$(with_cds "$name")
        load=$(loadavg)
        start_service "$OUT/service-$name-$r.log"
        read -r ms code cpu < <(wait_served) || die "$name did not start (see $OUT/service-$name-$r.log)"
        rss=$(rss_kib)
        stop_service
        quarkus=$(grep -o 'started in [0-9.]*s' "$OUT/service-$name-$r.log" | grep -o '[0-9.]*' || echo null)
        record "{\"phase\":\"startup\",\"variant\":\"$name\",\"index\":$i,\"round\":$r,\"ms\":$ms,\"code\":$code,\"cpu_ms\":$cpu,\"quarkus_s\":${quarkus:-null},\"rss_kib\":$rss,\"load\":$load}"
        log "$name #$r: $ms ms to first request (HTTP $code), JVM CPU $cpu ms, Quarkus says ${quarkus}s, load $load"
    done
done

python3 - "$OUT/raw.jsonl" "$STARTUP_RESULTS" "${VARIANTS[@]}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
specs = sys.argv[3:]
def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None
out = []
print(f"\n| variant | to first request, ms (median) | JVM CPU by then, ms | Quarkus 'started in', s | RSS at start, MiB | runs, ms |")
print("|---|---|---|---|---|---|")
for i, spec in enumerate(specs):
    rs = [r for r in rows if r["index"] == i]
    s = {"variant": spec.split()[0], "spec": spec, "ms": med([r["ms"] for r in rs]), "cpu_ms": med([r["cpu_ms"] for r in rs]),
         "quarkus_s": med([r["quarkus_s"] for r in rs]), "rss_mib": med([r["rss_kib"] / 1024 for r in rs]),
         "runs": [r["ms"] for r in rs]}
    out.append(s)
    print(f"| {spec} | {s['ms']:,.0f} | {s['cpu_ms']:,.0f} | {s['quarkus_s']} | {s['rss_mib']:,.0f} | {', '.join(str(x) for x in s['runs'])} |")
print(f"\nload average (1 min) at the starts: median {med([r['load'] for r in rows])}")
if sys.argv[2]:
    json.dump({"summary": out, "raw": rows}, open(sys.argv[2], "w"), indent=2)
PY
