#!/usr/bin/env python3
"""Helpers for bench/run.sh (standard library only; the chart needs matplotlib if present).

  report.py pgbench DIR                  one pgbench run (DIR/stdout.txt, DIR/tx.*) as a JSON line
  report.py merge JSON K=V...           JSON with fields added (V parsed as JSON when it can be)
  report.py metrics FILE                 the write-pipeline counters of a /q/metrics scrape as JSON
  report.py summary OUT RESULTS CHART MD the raw figures of a run (OUT/raw.jsonl) summarised: prints
                                         the table, writes RESULTS (JSON), CHART (PNG) and the
                                         generated block of MD
"""
import glob
import json
import os
import re
import statistics
import sys


def percentile(sorted_values, p):
    if not sorted_values:
        return None
    k = (len(sorted_values) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def pgbench(directory):
    text = open(os.path.join(directory, "stdout.txt")).read()

    def grab(pattern, cast=float, default=None):
        m = re.search(pattern, text, re.M)
        return cast(m.group(1)) if m else default

    latencies = []
    for path in glob.glob(os.path.join(directory, "tx.*")):
        with open(path) as f:
            for line in f:
                fields = line.split()
                # client_id transaction_no time script_no time_epoch time_us [schedule_lag]
                if len(fields) >= 6 and fields[2].isdigit():
                    latencies.append(int(fields[2]) / 1000.0)
    latencies.sort()
    processed = grab(r"number of transactions actually processed: (\d+)", int, 0)
    duration = grab(r"^duration: (\d+) s", float)
    result = {
        "requests": processed,
        "duration_s": duration,
        "rps": grab(r"^tps = ([0-9.]+)"),
        "mean_ms": grab(r"^latency average = ([0-9.]+) ms"),
        "p50_ms": percentile(latencies, 50),
        "p90_ms": percentile(latencies, 90),
        "p99_ms": percentile(latencies, 99),
        "max_ms": latencies[-1] if latencies else None,
        "failed": grab(r"number of failed transactions: (\d+)", int, 0),
        "aborted": "aborted" in text,
    }
    print(json.dumps(result))


def merge(base, assignments):
    obj = json.loads(base)
    for a in assignments:
        name, _, value = a.partition("=")
        try:
            obj[name] = json.loads(value)
        except ValueError:
            obj[name] = value
    print(json.dumps(obj))


def metrics(path):
    wanted = {
        "redfour_session_writes_total": "writes",
        "redfour_session_changes_written_total": "changes",
        "redfour_session_version_conflicts_total": "conflicts",
        "redfour_session_retries_exhausted_total": "exhausted",
    }
    found = {}
    try:
        for line in open(path):
            if line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) >= 2:
                name = parts[0].split("{")[0]
                if name in wanted:
                    found[wanted[name]] = found.get(wanted[name], 0) + float(parts[1])
    except OSError:
        pass
    print(json.dumps(found))


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, digits=0, unit=""):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def summary(out, results_path, chart_path, md_path):
    raw = [json.loads(line) for line in open(os.path.join(out, "raw.jsonl")) if line.strip()]
    meta = next((r for r in raw if r.get("phase") == "meta"), {})

    def rows(phase, side=None, **match):
        return [r for r in raw if r.get("phase") == phase and (side is None or r.get("side") == side)
                and all(r.get(k) == v for k, v in match.items())]

    s = {}
    # Start-up: median per variant.
    startup = {}
    for r in rows("startup"):
        startup.setdefault(r["variant"], []).append(r)
    s["startup_ms"] = {v: {"median": med([r["ms"] for r in rs]), "runs": [r["ms"] for r in rs],
                           "cpu_ms_median": med([r.get("cpu_ms") for r in rs]),
                           "quarkus_started_in_s_median": med([r.get("quarkus_s") for r in rs])}
                       for v, rs in startup.items()}
    first = rows("startup-first")
    s["first_start_ms"] = first[0]["ms"] if first else None

    # Spread and hot: medians per side, and the median of the per-round ratios.
    for phase in ("spread", "hot"):
        svc = rows(phase, "service")
        ceil = rows(phase, "ceiling")
        for r in svc + ceil:
            cpu = r.get("cpu") or {}
            n = r.get("requests") or 0
            for part in ("service", "pg", "loadgen"):
                v = cpu.get(f"cpu_{part}_s")
                r[f"cpu_{part}_ms_per_req"] = None if v is None or not n else round(v * 1000 / n, 3)
            r["changes_per_write"] = (r.get("pipeline") or {}).get("changes_per_write")
            if r.get("side") == "ceiling":
                r.setdefault("tps", r.get("rps"))
        keys = ("rps", "p50_ms", "p90_ms", "p99_ms", "max_ms", "doc_bytes", "changes_per_write",
                "writes_per_s", "tps", "cpu_service_ms_per_req", "cpu_pg_ms_per_req", "cpu_loadgen_ms_per_req",
                "load")
        entry = {
            "service": {k: med([r.get(k) for r in svc]) for k in keys},
            "ceiling": {k: med([r.get(k) for r in ceil]) for k in keys},
            "service_non2xx_total": sum(r.get("non2xx", 0) + r.get("socket_errors", 0) for r in svc),
            "service_codes": {},
            "rounds": len(svc),
        }
        for r in svc:
            for code, n in (r.get("codes") or {}).items():
                entry["service_codes"][code] = entry["service_codes"].get(code, 0) + n
        base_key = "rps" if phase == "spread" else "writes_per_s"
        ratios = []
        by_round = {r["round"]: r for r in ceil}
        for r in svc:
            c = by_round.get(r["round"])
            if c and c.get(base_key):
                ratios.append(r["rps"] / c[base_key])
        entry["ratio_per_round"] = [round(x, 3) for x in ratios]
        entry["ratio_median"] = med(ratios)
        s[phase] = entry

    def side_by_side(side):
        """A side run against the service's spread rounds: medians, CPU per change, and the per-round ratio side / service."""
        rs = rows("spread", side)
        for r in rs:
            cpu, n = r.get("cpu") or {}, r.get("requests") or 0
            for part in ("service", "pg"):
                v = cpu.get(f"cpu_{part}_s")
                r[f"cpu_{part}_ms_per_req"] = None if v is None or not n else round(v * 1000 / n, 3)
        ratios = [r["rps"] / on_by_round[r["round"]]["rps"] for r in rs
                  if r.get("rps") and on_by_round.get(r["round"], {}).get("rps")]
        return {"rps": med([r.get("rps") for r in rs]), "p50_ms": med([r.get("p50_ms") for r in rs]),
                "p99_ms": med([r.get("p99_ms") for r in rs]),
                "cpu_service_ms_per_req": med([r.get("cpu_service_ms_per_req") for r in rs]),
                "cpu_pg_ms_per_req": med([r.get("cpu_pg_ms_per_req") for r in rs]),
                "non2xx_total": sum(r.get("non2xx", 0) + r.get("socket_errors", 0) for r in rs),
                "ratios": ratios, "rounds": len(rs)}

    on_by_round = {r["round"]: r for r in rows("spread", "service")}
    # Events on (the service) against events off (the same service with REDFOUR_SESSION_RECORD_EVENTS=false).
    off = side_by_side("events-off")
    on_off = [1 / x for x in off.pop("ratios")]
    s["events_off"] = dict(off, on_over_off_per_round=[round(x, 3) for x in on_off], on_over_off_median=med(on_off))

    # The native executable beside the JVM (bench/run.sh's side D): the same spread load, interleaved.
    nat = side_by_side("native")
    native_over_jvm = nat.pop("ratios")
    native_mem = rows("memory", "native")
    s["native"] = dict(nat, native_over_jvm_per_round=[round(x, 3) for x in native_over_jvm],
                       native_over_jvm_median=med(native_over_jvm), memory=native_mem[-1] if native_mem else {})

    mem = [r for r in rows("memory") if r.get("side") is None]
    s["memory"] = mem[-1] if mem else {}

    # Targets.
    sp, hot = s["spread"], s["hot"]
    default_start = (s["startup_ms"].get("default") or {}).get("median")
    ev = s["events_off"]
    jvm_cpu = sp["service"]["cpu_service_ms_per_req"]
    rss_mib = (s["memory"].get("rss_kib") or 0) / 1024
    targets = [
        # issue 14
        {"target": "spread >= 0.80 x the naive ceiling, zero non-2xx, p99 reported",
         "met": bool(sp["ratio_median"] is not None and sp["ratio_median"] >= 0.80
                     and sp["service_non2xx_total"] == 0 and sp["service"]["p99_ms"] is not None),
         "figure": f"{fmt(sp['ratio_median'], 2)} x, non-2xx {sp['service_non2xx_total']}, "
                   f"p99 {fmt(sp['service']['p99_ms'], 1, ' ms')}"},
        {"target": "spread: JVM CPU <= 0.15 ms per change",
         "met": bool(jvm_cpu is not None and jvm_cpu <= 0.15),
         "figure": fmt(jvm_cpu, 3, " ms")},
        {"target": "hot session: zero non-2xx and >= 5 x serialised single-row ceiling",
         "met": bool(hot["ratio_median"] is not None and hot["ratio_median"] >= 5
                     and hot["service_non2xx_total"] == 0),
         "figure": f"{fmt(hot['ratio_median'], 2)} x, non-2xx {hot['service_non2xx_total']}"},
        {"target": "events on lose <= 15 % against events off (spread)",
         "met": bool(ev["on_over_off_median"] is not None and ev["on_over_off_median"] >= 0.85),
         "figure": "not run" if ev["on_over_off_median"] is None else
                   f"on/off {fmt(ev['on_over_off_median'], 2)} ({fmt((1 - ev['on_over_off_median']) * 100, 0)} % lost)"},
        {"target": f"memory after load <= 256 MiB RSS (heap `{meta.get('heap', '?')}`)",
         "met": bool(s["memory"].get("rss_kib")) and rss_mib <= 256,
         "figure": fmt(rss_mib, 0, " MiB RSS")},
        # issue 23: the native executable beside the JVM
        {"target": "native executable: spread changes/s >= 0.8 x the JVM's (same run, interleaved)",
         "met": bool(s["native"]["native_over_jvm_median"] is not None and s["native"]["native_over_jvm_median"] >= 0.8),
         "figure": "not run" if s["native"]["native_over_jvm_median"] is None else
                   f"{fmt(s['native']['native_over_jvm_median'], 2)} x"},
        {"target": "native executable: RSS after the spread load <= 96 MiB (the manifests' options)",
         "met": bool(s["native"]["memory"].get("rss_kib")) and s["native"]["memory"]["rss_kib"] / 1024 <= 96,
         "figure": "not run" if not s["native"]["memory"].get("rss_kib") else
                   fmt(s["native"]["memory"]["rss_kib"] / 1024, 0, " MiB RSS")
                   + f" (`{s['native']['memory'].get('options', '?')}`)"},
        # issue 5 (kept for comparison)
        {"target": "start-up to first served request <= 1.5 s (JVM, default flags)",
         "met": bool(default_start is not None and default_start <= 1500),
         "figure": fmt(default_start, 0, " ms")},
    ]
    s["targets"] = targets

    table = render_table(s, meta)
    print(table)
    os.makedirs(os.path.dirname(results_path) or ".", exist_ok=True)
    with open(results_path, "w") as f:
        json.dump({"meta": meta, "summary": s, "raw": raw}, f, indent=2)
        f.write("\n")
    chart(s, raw, chart_path)
    update_md(md_path, table)


def render_table(s, meta):
    sp, hot = s["spread"], s["hot"]
    lines = []
    lines.append(f"Run {meta.get('started', '?')} on {meta.get('cpus', '?')} CPUs ({meta.get('cpu', '?')}), "
                 f"PostgreSQL {meta.get('pg_version', '?')}, {meta.get('java', '?')}, heap `{meta.get('heap', '?')}`"
                 + (f", extra JVM options `{meta['java_opts']}`" if meta.get("java_opts") else "")
                 + f"; medians of {sp['rounds']} interleaved rounds (service, ceiling, service with events off, ...); "
                 f"load average during the phases {fmt(sp['service']['load'], 1)} (1 min, median).")
    lines.append("")
    lines.append("| phase | service | ceiling | service / ceiling |")
    lines.append("|---|---|---|---|")
    lines.append(f"| spread ({meta.get('spread_conns', '?')} conns, {meta.get('sessions', '?')} sessions): req/s | "
                 f"{fmt(sp['service']['rps'])} | {fmt(sp['ceiling']['rps'])} (pgbench tps) | "
                 f"{fmt(sp['ratio_median'], 2)} |")
    lines.append(f"| spread: p50 / p99 latency | {fmt(sp['service']['p50_ms'], 1)} / "
                 f"{fmt(sp['service']['p99_ms'], 1)} ms | {fmt(sp['ceiling']['p50_ms'], 1)} / "
                 f"{fmt(sp['ceiling']['p99_ms'], 1)} ms | |")
    lines.append(f"| spread: non-2xx | {sp['service_non2xx_total']}"
                 + (f" {sp['service_codes']}" if sp['service_codes'] else "") + " | | |")
    lines.append(f"| spread: document size (avg) | {fmt(sp['service']['doc_bytes'], 0, ' B')} | "
                 f"{fmt(sp['ceiling']['doc_bytes'], 0, ' B')} | |")
    lines.append(f"| hot session ({meta.get('hot_conns', '?')} conns): changes/s | {fmt(hot['service']['rps'])} | "
                 f"{fmt(hot['ceiling']['writes_per_s'])} (versions written/s; pgbench tps "
                 f"{fmt(hot['ceiling']['tps'])}) | {fmt(hot['ratio_median'], 2)} |")
    lines.append(f"| hot: p50 / p99 latency | {fmt(hot['service']['p50_ms'], 1)} / "
                 f"{fmt(hot['service']['p99_ms'], 1)} ms | {fmt(hot['ceiling']['p50_ms'], 1)} / "
                 f"{fmt(hot['ceiling']['p99_ms'], 1)} ms | |")
    lines.append(f"| hot: non-2xx | {hot['service_non2xx_total']}"
                 + (f" {hot['service_codes']}" if hot['service_codes'] else "") + " | | |")
    lines.append(f"| hot: changes per row write | {fmt(hot['service']['changes_per_write'], 1)} | 1 | |")
    for name, ph in (("spread", sp), ("hot", hot)):
        sv, ce = ph["service"], ph["ceiling"]
        lines.append(f"| {name}: CPU ms per change: JVM + PostgreSQL + load generator | "
                     f"{fmt(sv['cpu_service_ms_per_req'], 3)} + {fmt(sv['cpu_pg_ms_per_req'], 3)} + "
                     f"{fmt(sv['cpu_loadgen_ms_per_req'], 3)} | "
                     f"{fmt(ce['cpu_pg_ms_per_req'], 3)} + {fmt(ce['cpu_loadgen_ms_per_req'], 3)} (PostgreSQL + pgbench) | |")
    def side_rows(label, side, ratio_label, ratio_key):
        """Two rows for a side run beside the service's spread rounds (events off, native)."""
        if not side.get("rounds"):
            return
        lines.append(f"| spread, {label}: req/s ({ratio_label}) | {fmt(side['rps'])} | | "
                     f"{fmt(side[ratio_key + '_median'], 2)} (rounds: {', '.join(str(x) for x in side[ratio_key + '_per_round'])}) |")
        lines.append(f"| spread, {label}: CPU ms per change: service + PostgreSQL; p50 / p99; non-2xx | "
                     f"{fmt(side['cpu_service_ms_per_req'], 3)} + {fmt(side['cpu_pg_ms_per_req'], 3)}; "
                     f"{fmt(side.get('p50_ms'), 1)} / {fmt(side['p99_ms'], 1)} ms; {side['non2xx_total']} | | |")

    side_rows("events off", s.get("events_off") or {}, "events on / off", "on_over_off")
    nv = s.get("native") or {}
    side_rows("native executable", nv, "native / JVM", "native_over_jvm")
    if nv.get("rounds"):
        nm = nv.get("memory") or {}
        lines.append(f"| native executable: resident memory after load (RSS / peak) | {fmt((nm.get('rss_kib') or 0) / 1024, 0)} / "
                     f"{fmt((nm.get('hwm_kib') or 0) / 1024, 0)} MiB (`{nm.get('options', '?')}`) | | |")
    for variant, v in s["startup_ms"].items():
        lines.append(f"| start-up to first served request, `{variant}` | {fmt(v['median'], 0, ' ms')} "
                     f"(runs: {', '.join(str(x) for x in v['runs'])}; JVM CPU {fmt(v['cpu_ms_median'], 0, ' ms')}) | | |")
    if s.get("first_start_ms") is not None:
        lines.append(f"| first start on an empty database (creates the schema) | {fmt(s['first_start_ms'], 0, ' ms')} | | |")
    m = s["memory"]
    lines.append(f"| resident memory after load (RSS / peak) | {fmt((m.get('rss_kib') or 0) / 1024, 0)} / "
                 f"{fmt((m.get('hwm_kib') or 0) / 1024, 0)} MiB | | |")
    lines.append("")
    lines.append("| target | met | figure |")
    lines.append("|---|---|---|")
    for t in s["targets"]:
        lines.append(f"| {t['target']} | {'yes' if t['met'] else 'NO'} | {t['figure']} |")
    return "\n".join(lines)


def chart(s, raw, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print(f"(no matplotlib for {sys.executable}: chart {path} not drawn; "
              "Debian: apt-get install -y python3-matplotlib)", file=sys.stderr)
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    labels = ["spread\n(64 conns, random sessions)", "hot session\n(32 conns, one session)"]
    svc = [s["spread"]["service"]["rps"] or 0, s["hot"]["service"]["rps"] or 0]
    ceil = [s["spread"]["ceiling"]["rps"] or 0, s["hot"]["ceiling"]["writes_per_s"] or 0]
    x = range(len(labels))
    w = 0.38
    b1 = ax1.bar([i - w / 2 for i in x], svc, w, label="service (wrk)", color="#c0392b")
    b2 = ax1.bar([i + w / 2 for i in x], ceil, w, label="ceiling (pgbench, same SQL)", color="#7f8c8d")
    for bars in (b1, b2):
        for bar in bars:
            ax1.annotate(f"{bar.get_height():,.0f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                         ha="center", va="bottom", fontsize=8)
    # per-round points
    for phase, i in (("spread", 0), ("hot", 1)):
        for r in raw:
            if r.get("phase") == phase and r.get("side") == "service":
                ax1.plot(i - w / 2, r["rps"], "k.", ms=4)
            if r.get("phase") == phase and r.get("side") == "ceiling":
                ax1.plot(i + w / 2, r["rps"] if phase == "spread" else r.get("writes_per_s", 0), "k.", ms=4)
    ax1.set_xticks(list(x))
    ax1.set_xticklabels(labels)
    ax1.set_ylabel("changes per second (median; dots: rounds)")
    ax1.set_title("Throughput")
    ax1.legend(fontsize=8)
    p99s = [s["spread"]["service"]["p99_ms"] or 0, s["hot"]["service"]["p99_ms"] or 0]
    p99c = [s["spread"]["ceiling"]["p99_ms"] or 0, s["hot"]["ceiling"]["p99_ms"] or 0]
    p50s = [s["spread"]["service"]["p50_ms"] or 0, s["hot"]["service"]["p50_ms"] or 0]
    p50c = [s["spread"]["ceiling"]["p50_ms"] or 0, s["hot"]["ceiling"]["p50_ms"] or 0]
    c1 = ax2.bar([i - w / 2 for i in x], p99s, w, label="service p99", color="#c0392b")
    c2 = ax2.bar([i + w / 2 for i in x], p99c, w, label="ceiling p99 (per transaction)", color="#7f8c8d")
    ax2.plot([i - w / 2 for i in x], p50s, "wo", mec="k", label="p50")
    ax2.plot([i + w / 2 for i in x], p50c, "wo", mec="k")
    for bars in (c1, c2):
        for bar in bars:
            ax2.annotate(f"{bar.get_height():.1f}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                         ha="center", va="bottom", fontsize=8)
    ax2.set_xticks(list(x))
    ax2.set_xticklabels(labels)
    ax2.set_ylabel("latency, ms")
    ax2.set_title("Latency (p99 bars, p50 circles)")
    ax2.legend(fontsize=8)
    fig.suptitle("Red:4 shopping sessions: service vs PostgreSQL ceiling (same read + versioned write)",
                 fontsize=10)
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=110)
    print(f"chart: {path}", file=sys.stderr)


BEGIN = "<!-- bench:begin (generated by bench/run.sh; do not edit by hand) -->"
END = "<!-- bench:end -->"


def update_md(path, table):
    if not path or not os.path.exists(path):
        return
    text = open(path).read()
    if BEGIN not in text or END not in text:
        return
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(path, "w") as f:
        f.write(head + BEGIN + "\n" + table + "\n" + END + tail)
    print(f"updated the figures in {path}", file=sys.stderr)


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "pgbench":
        pgbench(sys.argv[2])
    elif cmd == "merge":
        merge(sys.argv[2], sys.argv[3:])
    elif cmd == "metrics":
        metrics(sys.argv[2])
    elif cmd == "summary":
        summary(*sys.argv[2:6])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
