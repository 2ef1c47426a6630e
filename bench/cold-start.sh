#!/usr/bin/env bash
# Cold start: the default build on the default JVM against the native executable as the Knative Service
# runs it (and, with COLD_AOT=1, the JDK 25 AOT-cache build of issue 13), started side by side by
# bench/startup.sh (interleaved rounds, medians, paired ratios, memory after load). The figures behind
# docs/performance.md, "Cold start" and "Native executable".
#
#   bench/cold-start.sh     # ~12 min: builds both variants, then 7 rounds of starts and the memory phase
#
# Builds (skipped with COLD_BUILD=never, which reuses the last ones):
#   default   ./mvnw -B package -DskipTests                                      (fast-jar; the README's default build)
#   native    GRAALVM_HOME=$COLD_GRAALVM ./mvnw -B package -Dnative -DskipTests   (the native executable)
#   aot       JAVA_HOME=$COLD_JDK25 ./mvnw -B verify -Daot   (COLD_AOT=1 only: aot-jar + app.aot trained by the tests)
# each copied (the jars with their files' times kept: the AOT cache checks them) to bench/out/cold-start/<name>/.
# The repository's target/ is left holding the last build: run ./mvnw package again for the default one.
#
# Variants (STARTUP_BASELINES: default):
#   default         java -jar default/quarkus-run.jar                 (the JDK on the PATH, BENCH_HEAP -Xmx512m)
#   native          native/application -Xmx64m -XX:ActiveProcessorCount=1, migrating at start (the README's command)
#   native-knative  as the Knative Service runs the native image (k8s/overlays/knative): its args
#                   (COLD_NATIVE_OPTS), QUARKUS_FLYWAY_MIGRATE_AT_START=false, QUARKUS_FLYWAY_ACTIVE=false and
#                   QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER=true (the OpenAPI document written per request)
#   aot-knative     (COLD_AOT=1) as issue 13's Knative Service ran the AOT image: the cache, C1 only, Serial GC,
#                   -Xmx128m, the same environment
# The same database for all. Targets (issue 23): native-knative's first answered PUT <= COLD_TARGET_MS (50) and
# <= COLD_TARGET_RATIO (0.02) x the default's in the same round. Environment as for bench/startup.sh;
# COLD_GRAALVM (default /opt/redfour-graalvm-25), COLD_JDK25 (default /usr/lib/jvm/temurin-25-jdk-amd64),
# COLD_RESULTS (default bench/results/cold-start.json).
set -euo pipefail
BENCH_DIR=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
COLD_JDK25=${COLD_JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
COLD_GRAALVM=${COLD_GRAALVM:-/opt/redfour-graalvm-25}
COLD_AOT=${COLD_AOT:-0}
COLD_BUILD=${COLD_BUILD:-always}
COLD_DIR=${COLD_DIR:-$ROOT/bench/out/cold-start}
COLD_RESULTS=${COLD_RESULTS:-$ROOT/bench/results/cold-start.json}
COLD_KNATIVE_HEAP=${COLD_KNATIVE_HEAP:--Xmx128m}
# The Knative Service's container args (k8s/overlays/knative/knative-service.yaml), joined with '+'.
COLD_NATIVE_OPTS=${COLD_NATIVE_OPTS:--Xmx64m+-XX:ActiveProcessorCount=1}

say() { printf '[cold-start %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ $COLD_AOT != 1 || -x $COLD_JDK25/bin/java ]] || { say "no JDK 25 at $COLD_JDK25 (set COLD_JDK25)"; exit 1; }
[[ -x $COLD_GRAALVM/bin/native-image ]] || { say "no native-image in $COLD_GRAALVM (../shared/native/install-graalvm.sh)"; exit 1; }

if [[ $COLD_BUILD != never ]]; then
    mkdir -p "$COLD_DIR"
    say "default build: ./mvnw -B package -DskipTests"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests)
    rm -rf "$COLD_DIR/default" && cp -a "$ROOT/target/quarkus-app" "$COLD_DIR/default"
    say "native build: GRAALVM_HOME=$COLD_GRAALVM ./mvnw -B package -Dnative -DskipTests"
    (cd "$ROOT" && GRAALVM_HOME=$COLD_GRAALVM ./mvnw -B -q package -Dnative -DskipTests)
    rm -rf "$COLD_DIR/native" && mkdir -p "$COLD_DIR/native" && cp -a "$ROOT"/target/*-runner "$COLD_DIR/native/application"
    if [[ $COLD_AOT == 1 ]]; then
        say "AOT build: JAVA_HOME=$COLD_JDK25 ./mvnw -B verify -Daot (the integration tests train the cache)"
        (cd "$ROOT" && JAVA_HOME=$COLD_JDK25 ./mvnw -B -q verify -Daot)
        rm -rf "$COLD_DIR/aot" && cp -a "$ROOT/target/quarkus-app" "$COLD_DIR/aot"
    fi
fi
files=(default/quarkus-run.jar native/application)
[[ $COLD_AOT == 1 ]] && files+=(aot/quarkus-run.jar aot/app.aot)
for f in "${files[@]}"; do
    [[ -f $COLD_DIR/$f ]] || { say "missing $COLD_DIR/$f: run without COLD_BUILD=never"; exit 1; }
done

J25=$COLD_JDK25/bin/java
# The Knative Service's environment beyond the Deployment's (k8s/overlays/knative/knative-service.yaml).
KNATIVE_ENV="QUARKUS_FLYWAY_MIGRATE_AT_START=false QUARKUS_FLYWAY_ACTIVE=false QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER=true"
D=$COLD_DIR
variants=(
    "default BENCH_JAR=$D/default/quarkus-run.jar"
    "native BENCH_NATIVE=$D/native/application BENCH_HEAP=$COLD_NATIVE_OPTS"
    "native-knative BENCH_NATIVE=$D/native/application BENCH_HEAP=$COLD_NATIVE_OPTS $KNATIVE_ENV"
)
[[ $COLD_AOT == 1 ]] && variants+=(
    "aot-knative BENCH_HEAP=$COLD_KNATIVE_HEAP BENCH_JAVA=$J25 BENCH_JAR=$D/aot/quarkus-run.jar BENCH_JAVA_OPTS=-XX:AOTCache=$D/aot/app.aot+-XX:+UseSerialGC+-XX:TrimNativeHeapInterval=5000+-XX:TieredStopAtLevel=1 $KNATIVE_ENV"
)
export BENCH_BUILD=never
export STARTUP_BASELINES=${STARTUP_BASELINES:-default}
export STARTUP_TARGETED=${STARTUP_TARGETED:-native-knative}
export STARTUP_TARGET_RATIO=${COLD_TARGET_RATIO:-0.02}
export STARTUP_TARGET_MS=${COLD_TARGET_MS:-50}
export STARTUP_RESULTS=$COLD_RESULTS
exec "$BENCH_DIR/startup.sh" "${variants[@]}"
