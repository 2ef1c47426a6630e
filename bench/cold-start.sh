#!/usr/bin/env bash
# Cold start, issue 13: the default build on the default JVM against the AOT-cache build, started
# side by side by bench/startup.sh (interleaved rounds, medians, paired ratios, memory after load).
# The figures behind docs/performance.md, "Cold start".
#
#   bench/cold-start.sh     # ~15 min: builds both variants, then 7 rounds of starts and the memory phase
#
# Builds (skipped with COLD_BUILD=never, which reuses the last ones):
#   default   ./mvnw -B package -DskipTests                 (fast-jar; the README's default build)
#   aot       JAVA_HOME=$COLD_JDK25 ./mvnw -B verify -Daot   (aot-jar + app.aot trained by the integration tests)
# each copied with its files' times kept (the AOT cache checks them) to bench/out/cold-start/<name>/.
# The repository's target/ is left holding the AOT build: run ./mvnw package again for the default one.
#
# Variants (STARTUP_BASELINES: default, default-jdk25):
#   default        java -jar default/quarkus-run.jar                                 (the JDK on the PATH)
#   default-jdk25  the same jar on the JDK 25
#   aot            JDK 25: java -XX:AOTCache=aot/app.aot -jar aot/quarkus-run.jar     (the README's command, same environment)
#   aot-knative    as the Knative Service runs the AOT image: the cache, C1 only (-XX:TieredStopAtLevel=1,
#                  its JAVA_OPTS_APPEND, as is -XX:TrimNativeHeapInterval=5000), the Serial collector that the JVM picks by itself in a 1-CPU pod,
#                  QUARKUS_FLYWAY_MIGRATE_AT_START=false, QUARKUS_FLYWAY_ACTIVE=false and
#                  QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER=true (the OpenAPI document written per request,
#                  not at start), as in k8s/overlays/knative
#   aot-knative-tiered  the same with the full JIT (C1 and C2), the throughput side of that trade-off
# The same database for all; the heap BENCH_HEAP (-Xmx512m) for the default and aot variants, and for
# the Knative ones the manifests' -XX:MaxRAMPercentage=25 of the 512Mi limit (-Xmx128m, COLD_KNATIVE_HEAP),
# so that their memory after load is the one a pod would have. Environment as for bench/startup.sh;
# COLD_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64), COLD_RESULTS (default bench/results/cold-start.json).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
COLD_JDK25=${COLD_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
COLD_BUILD=${COLD_BUILD:-always}
COLD_DIR=${COLD_DIR:-$ROOT/bench/out/cold-start}
COLD_RESULTS=${COLD_RESULTS:-$ROOT/bench/results/cold-start.json}
COLD_KNATIVE_HEAP=${COLD_KNATIVE_HEAP:--Xmx128m}

say() { printf '[cold-start %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -x $COLD_JDK25/bin/java ]] || { say "no JDK 25 at $COLD_JDK25 (set COLD_JDK25)"; exit 1; }

if [[ $COLD_BUILD != never ]]; then
    mkdir -p "$COLD_DIR"
    say "default build: ./mvnw -B package -DskipTests"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
    rm -rf "$COLD_DIR/default" && cp -a "$ROOT/target/quarkus-app" "$COLD_DIR/default"
    say "AOT build: JAVA_HOME=$COLD_JDK25 ./mvnw -B verify -Daot (the integration tests train the cache)"
    (cd "$ROOT" && JAVA_HOME=$COLD_JDK25 ./mvnw -B -q verify -Daot)
    rm -rf "$COLD_DIR/aot" && cp -a "$ROOT/target/quarkus-app" "$COLD_DIR/aot"
fi
for f in default/quarkus-run.jar aot/quarkus-run.jar aot/app.aot; do
    [[ -f $COLD_DIR/$f ]] || { say "missing $COLD_DIR/$f: run without COLD_BUILD=never"; exit 1; }
done

J25=$COLD_JDK25/bin/java
# The Knative Service's environment beyond the Deployment's (k8s/overlays/knative/knative-service.yaml).
KNATIVE_ENV="QUARKUS_FLYWAY_MIGRATE_AT_START=false QUARKUS_FLYWAY_ACTIVE=false QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER=true"
D=$COLD_DIR
export BENCH_BUILD=never
export STARTUP_BASELINES=${STARTUP_BASELINES:-"default default-jdk25"}
export STARTUP_RESULTS=$COLD_RESULTS
exec "$BENCH_DIR/startup.sh" \
    "default BENCH_JAR=$D/default/quarkus-run.jar" \
    "default-jdk25 BENCH_JAVA=$J25 BENCH_JAR=$D/default/quarkus-run.jar" \
    "aot BENCH_JAVA=$J25 BENCH_JAR=$D/aot/quarkus-run.jar BENCH_JAVA_OPTS=-XX:AOTCache=$D/aot/app.aot" \
    "aot-knative BENCH_HEAP=$COLD_KNATIVE_HEAP BENCH_JAVA=$J25 BENCH_JAR=$D/aot/quarkus-run.jar BENCH_JAVA_OPTS=-XX:AOTCache=$D/aot/app.aot+-XX:+UseSerialGC+-XX:TrimNativeHeapInterval=5000+-XX:TieredStopAtLevel=1 $KNATIVE_ENV" \
    "aot-knative-tiered BENCH_HEAP=$COLD_KNATIVE_HEAP BENCH_JAVA=$J25 BENCH_JAR=$D/aot/quarkus-run.jar BENCH_JAVA_OPTS=-XX:AOTCache=$D/aot/app.aot+-XX:+UseSerialGC+-XX:TrimNativeHeapInterval=5000 $KNATIVE_ENV"
