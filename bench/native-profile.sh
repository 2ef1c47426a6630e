#!/usr/bin/env bash
# Where a native executable's CPU goes under bench/run.sh's spread load: perf samples (cpu-clock, the
# only event this host's perf has) of a native executable built with its symbols kept, summed by
# method and by package.
#
#   GRAALVM_HOME=/opt/redfour-graalvm-25 ./mvnw package -Dnative -DskipTests \
#       -Dquarkus.native.additional-build-args=-H:-DeleteLocalSymbols     # symbols kept (one build)
#   bench/native-profile.sh target/shopping-sessions-1.0.0-SNAPSHOT-runner
#
# PROFILE_SECS (20) of spread load after PROFILE_WARMUP (20) s, BENCH_SESSIONS (200) sessions, the Knative
# Service's options (NATIVE_OPTS). Environment otherwise as for bench/run.sh. Output: the top methods
# and packages by share of the executable's samples, and the run's figures (changes/s, CPU per change).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
EXE=${1:?usage: bench/native-profile.sh EXECUTABLE}
[[ -x $EXE ]] || die "no executable $EXE"
command -v perf >/dev/null || die "needs perf (apt-get install -y linux-perf)"
(($(nm "$EXE" | grep -c ' t ') > 1000)) || die "$EXE has no symbols: build it with -H:-DeleteLocalSymbols (see the top of this script)"
PROFILE_SECS=${PROFILE_SECS:-20}
PROFILE_WARMUP=${PROFILE_WARMUP:-20}
NATIVE_OPTS=${NATIVE_OPTS:--Xmx64m -XX:ActiveProcessorCount=1}
export BENCH_SESSIONS=${BENCH_SESSIONS:-200}
BENCH_BUILD=never
require_tools
mkdir -p "$OUT"
install_traps
create_database
BENCH_NATIVE=$EXE BENCH_HEAP=$NATIVE_OPTS BENCH_JAVA_OPTS=
start_service "$OUT/service.log"
wait_served >/dev/null || die "the executable did not start (see $OUT/service.log)"
create_sessions 1 "$BENCH_SESSIONS"
wrk_phase warmup spread.lua "$BENCH_SPREAD_CONNS" "$PROFILE_WARMUP"
log "warm-up: $RESULT"
perf record -e cpu-clock -F 999 -p "$SVC_PID" -o "$OUT/perf.data" -- sleep "$PROFILE_SECS" >"$OUT/perf-record.log" 2>&1 &
perf_pid=$!
wrk_phase profiled spread.lua "$BENCH_SPREAD_CONNS" "$PROFILE_SECS"
wait "$perf_pid" || true
log "profiled: $RESULT"
stop_service
perf report -i "$OUT/perf.data" --no-children --sort symbol --stdio 2>/dev/null | grep -E '^ +[0-9]' >"$OUT/symbols.txt"
python3 - "$OUT/symbols.txt" <<'PY'
import re, sys, collections
rows = []
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(\S+)", line)  # perf's IPC columns ("-  -") follow the name
    if m:
        rows.append((float(m.group(1)), m.group(2), m.group(3)))
print("\n| share of samples | method (top 25) |\n|---|---|")
for pct, where, name in rows[:25]:
    print(f"| {pct:.2f} % | {'kernel: ' if where == 'k' else ''}{name} |")

def area(where, name):
    if where == "k":
        return "kernel (system calls, network, page faults)"
    n = name.split("_")[0] if "_" in name else name
    rules = [("GC (collections, copying, allocation slow paths)", r"^(GCImpl|GreyTo|GreyObjects|Space|HeapChunk|AlignedHeap|AlignedChunk|UnalignedChunk|ObjectHeader|CardTable|OldGeneration|YoungGeneration|ThreadLocalAllocation|GenScavenge|ReferenceObjectProcessing|RuntimeCodeCache|Walker|UnmanagedMemoryUtil|ChunkedImageHeap|ImageHeapWalker|RememberedSet|FirstObjectTable|ObjectScanner)"),
             ("JSON (Jackson)", r"^(Json|UTF8|ObjectMapper|ObjectWriter|ObjectReader|BeanSerializer|BeanDeserializer|Serializer|Deserializ|Generator|TextBuffer|ByteQuad|CharsToName|SerializerProvider|DefaultSerializer|StdSerializer|NumberOutput|NumberInput|ReadOnlyClassToSerializer)"),
             ("PostgreSQL client", r"^(Pg|Sql|Row|Tuple|Data(Type|Format)|Prepared|Query|Cursor|Command|Socket(Connection)?Base|Pool|SimpleConnectionPool|Connection)"),
             ("Netty", r"^(ByteBuf|AbstractByteBuf|PooledByte|Unpooled|Netty|Channel|Epoll|Native|DefaultChannel|AbstractChannel|SingleThreadEventExecutor|HttpObject|HttpHeaders|DefaultHttp|ChannelOutbound|ChannelInbound|AbstractEpoll|IovArray|Recycler|FastThreadLocal|ByteToMessage|MessageToMessage|HttpServerCodec|HttpContentCompressor|ReferenceCount|PoolThreadCache|PoolArena|PoolChunk|PoolSubpage|AdaptiveRecvByteBufAllocator)"),
             ("Vert.x", r"^(Vertx|Context|EventLoop|Future|Promise|Http1x|Http|Net|Route|Router|Handler|RoutingContext)"),
             ("Mutiny", r"^(Uni|Multi|Mutiny|Infrastructure|UniOperator|UniCreate|UniOn|AbstractUni)"),
             ("OpenTelemetry, Micrometer", r"^(Otel|OpenTelemetry|Span|Context(Storage|Key)|Meter|Timer|Counter|Micrometer|Tags|Tag|Distribution|Histogram|Prometheus)"),
             ("RESTEasy Reactive, Arc", r"^(ResteasyReactive|RestClient|Reactive|Resteasy|Arc|Injectable|ClientProxy|Request|Response|Server|Abstract(Resteasy|Resource)|Vertx(Resteasy|Http))"),
             ("JDK (strings, collections, time, math)", r"^(String|StringLatin1|StringUTF16|StringBuilder|AbstractStringBuilder|HashMap|LinkedHashMap|ArrayList|Arrays|Collections|ConcurrentHashMap|BigDecimal|BigInteger|Instant|DateTime|Long|Integer|Math|Character|Object|Class|System|Thread|Unsafe|SubstrateArraycopy|UnmanagedMemory|ArraysSupport|SVMIntrinsic)"),
             ("the service's own code", r"^(Session|Fold|Screen|Decide|Lanes|Retry|WritePipeline|DocumentCodec|SessionTable|Answers|SessionView|Change|Outcome|StoredLog|Event|Pending|Write|Rate|Api|Store|Bodies|Valid|Strict|Request|Problem|Tracing|Landing|Attribution)")]
    for label, pattern in rules:
        if re.match(pattern, n):
            return label
    return "other"

areas = collections.Counter()
for pct, where, name in rows:
    areas[area(where, name)] += pct
print("\n| area (by method name, approximate) | share of samples |\n|---|---|")
for a, pct in areas.most_common():
    print(f"| {a} | {pct:.1f} % |")
PY
drop_database
