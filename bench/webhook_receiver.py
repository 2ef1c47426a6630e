"""A webhook receiver for bench/webhooks.sh, on 127.0.0.1.

POST /<name>...: answers 204 at once and records, per name, the event's webhook-id and the time from
the event's own "at" (its commit, within a millisecond or so) to the moment the request was read.
POST /slow...: waits HOOK_SLOW_S seconds first (longer than the service's timeout: it times out).
GET /stats?from=T&to=T: per name, the requests read between the two epoch times (seconds), the
distinct events received in all, and latency percentiles (ms) of those requests.
GET /distinct: per name, how many distinct events were received in all.
"""
import json
import os
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

SLOW_S = float(os.environ.get("HOOK_SLOW_S", "11"))
lock = threading.Lock()
received = {}  # name -> list of (read_at, latency_s)
distinct = {}  # name -> set of webhook ids


def percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


class Hook(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        now = time.time()
        name = urlparse(self.path).path.strip("/") or "root"
        if name.startswith("slow"):
            time.sleep(SLOW_S)
        else:
            at = datetime.fromisoformat(json.loads(body)["at"].replace("Z", "+00:00")).timestamp()
            with lock:
                received.setdefault(name, []).append((now, now - at))
                distinct.setdefault(name, set()).add(self.headers.get("webhook-id"))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        with lock:
            if url.path == "/distinct":
                answer = {name: len(ids) for name, ids in distinct.items()}
            else:
                start = float(query.get("from", ["0"])[0])
                end = float(query.get("to", ["1e12"])[0])
                answer = {}
                for name, rows in received.items():
                    window = [lat * 1000 for read_at, lat in rows if start <= read_at <= end]
                    answer[name] = {"requests": len(window), "distinct_all": len(distinct.get(name, ())),
                                    "p50_ms": percentile(window, 0.5), "p99_ms": percentile(window, 0.99),
                                    "max_ms": max(window) if window else None}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Hook).serve_forever()
