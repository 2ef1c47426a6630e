-- wrk script for the "hot session" phase: every connection adds one item (quantity 1) to the same
-- session. A session holds at most 100 lines of at most 999 each, so the script moves all
-- connections on to the next hot session (<key>-r1 .. <key>-r9, created beforehand by run.sh) every
-- BENCH_HOT_ROTATE requests in total; with the default phase lengths it never rotates.
-- Prints one JSON line at the end (see done()).
local store = os.getenv("BENCH_STORE") or "demo"
local base = os.getenv("BENCH_HOT_KEY") or "bench-hot-session-0"
local rotate = tonumber(os.getenv("BENCH_HOT_ROTATE") or "60000")
local nthreads = tonumber(os.getenv("BENCH_WRK_THREADS") or "2")
local skus = 100
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("BENCH_API_KEY") or "demo-key"),
  ["Content-Type"] = "application/json",
}

local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("tid", counter)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + (tid or 0) * 7919)
  non2xx = 0
  codes = {}
  sent = 0
  budget = math.max(1, math.floor(rotate / nthreads))
end

function request()
  sent = sent + 1
  local g = math.min(9, math.floor(sent / budget))
  local key = g == 0 and base or string.format("%s-r%d", base, g)
  local body = string.format('{"sku":"HOT-%d","name":"Falcon rocket","price":19.99,"quantity":1}',
    sent % skus)
  return wrk.format("POST", string.format("/v1/stores/%s/sessions/%s/items", store, key), headers, body)
end

function response(status, hdrs, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    codes[status] = (codes[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local bad, byCode = 0, {}
  for _, t in ipairs(threads) do
    bad = bad + t:get("non2xx")
    for code, n in pairs(t:get("codes")) do
      byCode[code] = (byCode[code] or 0) + n
    end
  end
  local parts = {}
  for code, n in pairs(byCode) do
    table.insert(parts, string.format('"%d":%d', code, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_RESULT {"requests":%d,"duration_s":%.3f,"rps":%.1f,"p50_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,' ..
    '"max_ms":%.3f,"mean_ms":%.3f,"non2xx":%d,"codes":{%s},"socket_errors":%d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, bad, table.concat(parts, ","),
    e.connect + e.read + e.write + e.timeout))
end
