#!/usr/bin/env bash
# Start-up of the packaged service, variants side by side: each round starts every variant once
# (rotated order) and measures process start to the first answered API request (a PUT of a new
# session, as a storefront's first call after a cold start), and the CPU the JVM had used by then
# (less sensitive than wall time to other work on the machine). Then each variant is started once
# more, loaded for a while and its memory (RSS) read: memory after load.
#
#   bench/startup.sh 'default' 'c1 BENCH_JAVA_OPTS=-XX:TieredStopAtLevel=1' \
#                    'serial BENCH_JAVA_OPTS=-XX:+UseSerialGC' 'noflyway QUARKUS_FLYWAY_MIGRATE_AT_START=false'
#
# Variants as for bench/knobs.sh (BENCH_JAVA=... runs a variant on another JVM); the word CDS in
# BENCH_JAVA_OPTS stands for a dynamic AppCDS archive that this script makes first with that
# variant's other options (-XX:SharedArchiveFile=...).
# Environment as for bench/run.sh, plus
#   STARTUP_ROUNDS=7          starts per variant
#   STARTUP_BASELINES=<first> the variants the others are compared with (space-separated names):
#                             each round's time divided by the baseline's in the same round, median
#   STARTUP_TARGET_RATIO=0.25 STARTUP_TARGET_MS=1000: a targeted variant meets the target when its
#                             ratio to every baseline is at most the ratio and its median at most the
#                             milliseconds
#   STARTUP_TARGETED          the variants held to those targets (space-separated names; default: those
#                             whose spec contains AOTCache)
#   STARTUP_LOAD_SECS=20      spread load before memory is read (0: no memory phase)
#   STARTUP_RESULTS           a JSON file for the figures (default none)
set -euo pipefail
source "$(dirname "$0")/lib.sh"

STARTUP_ROUNDS=${STARTUP_ROUNDS:-7}
STARTUP_RESULTS=${STARTUP_RESULTS:-}
STARTUP_LOAD_SECS=${STARTUP_LOAD_SECS:-20}
STARTUP_TARGET_RATIO=${STARTUP_TARGET_RATIO:-0.25}
STARTUP_TARGET_MS=${STARTUP_TARGET_MS:-1000}
STARTUP_TARGETED=${STARTUP_TARGETED:-}
(($# >= 1)) || die "usage: bench/startup.sh 'name [NAME=VALUE...]'..."
VARIANTS=("$@")
STARTUP_BASELINES=${STARTUP_BASELINES:-${VARIANTS[0]%% *}}

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
        log "$name #$r: $ms ms to first request (HTTP $code), process CPU $cpu ms, Quarkus says ${quarkus}s, load $load"
    done
done

# Memory after load: each variant started once more, its sessions created, then spread load.
if ((STARTUP_LOAD_SECS > 0)); then
    export BENCH_SESSIONS=${STARTUP_LOAD_SESSIONS:-200}
    for ((i = 0; i < n; i++)); do
        apply_variant "${VARIANTS[i]}"
        name=${VARIANTS[i]%% *}
        BENCH_JAVA_OPTS=$(with_cds "$name")
        start_service "$OUT/service-$name-load.log"
        wait_served >/dev/null || die "$name did not start (see $OUT/service-$name-load.log)"
        create_sessions 1 "$BENCH_SESSIONS"
        wrk_phase "memory-$name" spread.lua "$BENCH_SPREAD_CONNS" "$STARTUP_LOAD_SECS"
        rss=$(rss_kib) hwm=$(hwm_kib)
        stop_service
        record "$(merge "$RESULT" phase='"memory"' variant="\"$name\"" index="$i" rss_kib="$rss" hwm_kib="$hwm")"
        log "$name: RSS $((rss / 1024)) MiB after ${STARTUP_LOAD_SECS}s of spread load (peak $((hwm / 1024)) MiB)"
    done
fi

python3 - "$OUT/raw.jsonl" "$STARTUP_RESULTS" "$STARTUP_BASELINES" "$STARTUP_TARGET_RATIO" "$STARTUP_TARGET_MS" \
    "$("$DEFAULT_JAVA" -version 2>&1 | head -1)" "$STARTUP_TARGETED" "${VARIANTS[@]}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out_file, baselines = sys.argv[2], sys.argv[3].split()
target_ratio, target_ms = float(sys.argv[4]), float(sys.argv[5])
targeted = sys.argv[7].split()
specs = sys.argv[8:]
names = [s.split()[0] for s in specs]
starts = [r for r in rows if r["phase"] == "startup"]
memory = {r["variant"]: r for r in rows if r["phase"] == "memory"}

def med(v):
    v = [x for x in v if x is not None]
    return statistics.median(v) if v else None

def paired(name, base):  # per-round ratio name/base, median
    by_round = {}
    for r in starts:
        by_round.setdefault(r["round"], {})[r["variant"]] = r["ms"]
    ratios = [rd[name] / rd[base] for rd in by_round.values() if name in rd and base in rd and rd[base]]
    return med(ratios)

summary = []
for i, spec in enumerate(specs):
    rs = [r for r in starts if r["index"] == i]
    name = names[i]
    s = {"variant": name, "spec": spec, "ms": med([r["ms"] for r in rs]), "cpu_ms": med([r["cpu_ms"] for r in rs]),
         "quarkus_s": med([r["quarkus_s"] for r in rs]), "rss_at_start_mib": med([r["rss_kib"] / 1024 for r in rs]),
         "codes": sorted({r["code"] for r in rs}), "runs": [r["ms"] for r in rs],
         "ratio": {b: paired(name, b) for b in baselines if b != name and b in names}}
    m = memory.get(name)
    if m:
        s["rss_after_load_mib"] = round(m["rss_kib"] / 1024)
        s["hwm_after_load_mib"] = round(m["hwm_kib"] / 1024)
        s["load_rps"] = m.get("rps")
        s["load_non2xx"] = m.get("non2xx")
    summary.append(s)

base_cols = [b for b in baselines if b in names]
print()
print("| variant | first answered PUT after exec, ms (median) | " + " | ".join(f"÷ {b} (paired median)" for b in base_cols)
      + " | process CPU by then, ms | Quarkus 'started in', s | RSS after load, MiB | runs, ms |")
print("|---|---|" + "---|" * len(base_cols) + "---|---|---|---|")
for s in summary:
    ratios = " | ".join("—" if s["ratio"].get(b) is None else f"{s['ratio'][b]:.2f}" for b in base_cols)
    rss = s.get("rss_after_load_mib", "—")
    print(f"| {s['variant']} | {s['ms']:,.0f} | {ratios} | {s['cpu_ms']:,.0f} | {s['quarkus_s']} | {rss} | {', '.join(str(x) for x in s['runs'])} |")
print()
for s in summary:
    print(f"- {s['variant']}: `{s['spec']}` (HTTP {', '.join(str(c) for c in s['codes'])})")

targets = []
for s in summary:
    if s["variant"] not in targeted if targeted else "AOTCache" not in s["spec"]:
        continue
    worst = max((v for v in s["ratio"].values() if v is not None), default=None)
    ok_ratio = worst is not None and worst <= target_ratio
    ok_ms = s["ms"] <= target_ms
    targets.append({"variant": s["variant"], "ratio_worst": worst, "ms": s["ms"], "ratio_met": ok_ratio, "ms_met": ok_ms})
if targets:
    print()
    print("| target | variant | figure | met |")
    print("|---|---|---|---|")
    for t in targets:
        print(f"| first answered request <= {target_ratio} x the default JVM start (worst of {', '.join(base_cols)}) | {t['variant']} | "
              f"{t['ratio_worst']:.2f} x | {'yes' if t['ratio_met'] else 'NO'} |")
        print(f"| first answered request <= {target_ms:,.0f} ms | {t['variant']} | {t['ms']:,.0f} ms | {'yes' if t['ms_met'] else 'NO'} |")
    print(f"| memory after load reported for every variant | all | "
          f"{', '.join(str(s.get('rss_after_load_mib', '—')) for s in summary)} MiB | "
          f"{'yes' if all('rss_after_load_mib' in s for s in summary) else 'NO'} |")
loads = [r["load"] for r in starts]
print(f"\nload average (1 min) at the starts: median {med(loads)}, min {min(loads)}, max {max(loads)}")
if out_file:
    json.dump({"java": sys.argv[6], "summary": summary, "targets": targets,
               "load_at_starts": {"median": med(loads), "min": min(loads), "max": max(loads)}, "raw": rows},
              open(out_file, "w"), indent=2)
PY
