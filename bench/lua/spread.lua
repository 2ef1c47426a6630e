-- wrk script for the "spread" phase: every request adds one item (quantity 1) to a session picked
-- at random among BENCH_SESSIONS sessions (keys <prefix><6-digit number>, created beforehand), or
-- to a hot session (below).
-- Counts every non-2xx response itself and prints one JSON line at the end (see done()).
local sessions = tonumber(os.getenv("BENCH_SESSIONS") or "1000")
local prefix = os.getenv("BENCH_KEY_PREFIX") or "bench-session-"
local store = os.getenv("BENCH_STORE") or "demo"
local skus = tonumber(os.getenv("BENCH_SKUS") or "10")
local headers = {
  ["Authorization"] = "Bearer " .. (os.getenv("BENCH_API_KEY") or "demo-key"),
  ["Content-Type"] = "application/json",
}

-- Optional hot sessions (bench/webhooks.sh): BENCH_HOT_SHARE of the requests go to one of
-- BENCH_HOT_COUNT sessions <BENCH_HOT_PREFIX>1..N (created beforehand), the rest are spread.
local hot_share = tonumber(os.getenv("BENCH_HOT_SHARE") or "0")
local hot_count = tonumber(os.getenv("BENCH_HOT_COUNT") or "0")
local hot_prefix = os.getenv("BENCH_HOT_PREFIX") or "bench-hot-"

-- Optional offered load (bench/webhooks.sh): each connection waits 1000 * BENCH_CONNS / BENCH_RATE
-- ms before each request, so that all together offer about BENCH_RATE requests/s (less when answers
-- are slow); unset or 0: as fast as the service answers.
local rate = tonumber(os.getenv("BENCH_RATE") or "0")
local conns = tonumber(os.getenv("BENCH_CONNS") or "1")

function delay()
  if rate > 0 then
    return math.floor(1000 * conns / rate)
  end
  return 0
end

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
end

-- Optional creates (bench/knobs.sh KNOBS_PHASE=create): BENCH_CREATE=1 makes every request a PUT of a
-- new session (a key never used before) that arrives from a newsletter campaign.
local create = os.getenv("BENCH_CREATE") == "1"
local created = 0

function request()
  if create then
    created = created + 1
    local path = string.format("/v1/stores/%s/sessions/bench-new-%d-%d-%d-%d", store, tid or 0, os.time(),
      math.random(1000000000), created)
    return wrk.format("PUT", path, headers, '{"landing":"/p/falcon?utm_source=news&utm_medium=email"}')
  end
  local key = string.format("%s%06d", prefix, math.random(sessions))
  if hot_count > 0 and math.random() < hot_share then
    key = string.format("%s%d", hot_prefix, math.random(hot_count))
  end
  local path = string.format("/v1/stores/%s/sessions/%s/items", store, key)
  local body = string.format('{"sku":"RKT-%d","name":"Falcon rocket","price":19.99,"quantity":1}',
    math.random(skus))
  return wrk.format("POST", path, headers, body)
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
