#!/usr/bin/env python3
"""Sums a JFR recording of the service by cost centre (standard library and the JDK's `jfr` only).

  jfr_top.py RECORDING.jfr [WRK_RESULT_JSON]

CPU: every jdk.ExecutionSample is put in one cost centre. A sample whose stack passes through the
session document codec counts as "document JSON", one that passes through SessionView (the mapping
of a session to its response, before Jackson writes it) as "response view"; otherwise the first
frame from the top that is not JDK code decides (Jackson for the HTTP bodies, the PostgreSQL client, Netty, ...). Allocation:
jdk.ObjectAllocationSample weights, by the same rules. GC: jdk.GarbageCollection pauses.
"""
import json
import re
import subprocess
import sys
from collections import Counter

RULES = [
    ("document JSON (DocumentCodec read/write of the row)", ("com.redfour.shopping.session.store.DocumentCodec",)),
    ("HTTP JSON (Jackson: request body, response document)", ("com.fasterxml.jackson",)),
    ("bean validation (Hibernate Validator)", ("org.hibernate.validator",)),
    ("PostgreSQL client (encode/decode, pool)", ("io.vertx.pgclient", "io.vertx.sqlclient")),
    ("domain + write pipeline (com.redfour)", ("com.redfour",)),
    ("REST layer (RESTEasy Reactive, Quarkus)", ("org.jboss.resteasy", "io.quarkus")),
    ("metrics (Micrometer)", ("io.micrometer",)),
    ("Mutiny / context propagation", ("io.smallrye",)),
    ("Netty I/O (HTTP + PostgreSQL sockets)", ("io.netty",)),
    ("Vert.x core", ("io.vertx",)),
]
JDK = ("java.", "javax.", "jdk.", "sun.", "com.sun.")


def jfr_events(path, event):
    out = subprocess.run(["jfr", "print", "--stack-depth", "96", "--events", event, path],
                         capture_output=True, text=True, check=True).stdout
    events, current, in_stack = [], None, False
    for line in out.splitlines():
        s = line.strip()
        if s.startswith(event + " {") or s == event + " {":
            current = {"stack": []}
            in_stack = False
        elif current is None:
            continue
        elif s.startswith("stackTrace = ["):
            in_stack = True
        elif in_stack and s == "]":
            in_stack = False
        elif in_stack:
            if s and s != "...":
                current["stack"].append(s)
        elif s == "}":
            events.append(current)
            current = None
        else:
            m = re.match(r"(\w+) = (.*)", s)
            if m:
                current[m.group(1)] = m.group(2)
    return events


def frame_method(frame):
    return re.sub(r"\s+line:.*$", "", frame)


VIEW = "response view (SessionView.of: totals, timestamps as text)"


def category(stack):
    if any("DocumentCodec" in f for f in stack):
        return RULES[0][0]
    if any(f.startswith("com.redfour.shopping.session.api.SessionView") for f in stack):
        return VIEW
    for f in stack:
        if f.startswith(JDK):
            continue
        for name, prefixes in RULES[1:]:
            if f.startswith(prefixes):
                return name
        return "other libraries"
    return "JDK only"


def parse_size(text):
    m = re.match(r"([0-9.]+)\s*(bytes|kB|MB|GB)", text or "")
    if not m:
        return 0
    return float(m.group(1)) * {"bytes": 1, "kB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[m.group(2)]


def parse_ms(text):
    m = re.match(r"([0-9.]+)\s*(ns|us|ms|s)\b", text or "")
    if not m:
        return 0.0
    return float(m.group(1)) * {"ns": 1e-6, "us": 1e-3, "ms": 1, "s": 1000}[m.group(2)]


def main():
    path = sys.argv[1]
    wrk = json.loads(sys.argv[2]) if len(sys.argv) > 2 else {}
    samples = jfr_events(path, "jdk.ExecutionSample")
    cats, self_methods, threads = Counter(), Counter(), Counter()
    for e in samples:
        stack = e["stack"]
        cats[category(stack)] += 1
        if stack:
            self_methods[frame_method(stack[0])] += 1
        threads[re.sub(r"\d+", "N", (e.get("sampledThread") or "?").split('"')[1] if '"' in (e.get("sampledThread") or "") else "?")] += 1
    total = sum(cats.values()) or 1
    print(f"recording: {path}")
    if wrk:
        print(f"load during the recording: {wrk.get('rps')} req/s, p99 {wrk.get('p99_ms')} ms, "
              f"non-2xx {wrk.get('non2xx')}, JVM CPU {((wrk.get('cpu') or {}).get('cpu_service_s'))} s")
    print(f"\nCPU samples (jdk.ExecutionSample): {total}")
    print("\nby cost centre:")
    for name, n in cats.most_common():
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print("\nby thread:")
    for name, n in threads.most_common(8):
        print(f"  {100.0 * n / total:5.1f}%  {name}")
    print("\ntop methods (self):")
    for name, n in self_methods.most_common(25):
        print(f"  {100.0 * n / total:5.1f}%  {name}")

    allocs = jfr_events(path, "jdk.ObjectAllocationSample")
    acats, aframes = Counter(), Counter()
    for e in allocs:
        w = parse_size(e.get("weight"))
        acats[category(e["stack"])] += w
        first_app = next((f for f in e["stack"] if not f.startswith(JDK)), None)
        if first_app:
            aframes[frame_method(first_app)] += w
    atotal = sum(acats.values()) or 1
    secs = None
    if allocs:
        print(f"\nallocation (jdk.ObjectAllocationSample weights): {atotal / 1024 ** 2:,.0f} MiB sampled")
        if wrk.get("requests"):
            print(f"  about {atotal / wrk['requests'] / 1024:,.1f} KiB allocated per request")
        for name, w in acats.most_common():
            print(f"  {100.0 * w / atotal:5.1f}%  {name}")
        print("  top allocating frames (first non-JDK frame):")
        for name, w in aframes.most_common(12):
            print(f"  {100.0 * w / atotal:5.1f}%  {name}")

    gcs = jfr_events(path, "jdk.GarbageCollection")
    if gcs:
        pauses = [parse_ms(e.get("sumOfPauses")) for e in gcs]
        print(f"\nGC: {len(gcs)} collections, pauses {sum(pauses):,.0f} ms in all, longest {max(pauses):,.1f} ms "
              f"({gcs[0].get('name', '?')})")


if __name__ == "__main__":
    main()
