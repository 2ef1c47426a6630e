package com.redfour.shopping.ops;

import com.redfour.shopping.support.Packaged;
import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cold-start path of the Knative image: the application in the aot-jar packaging
 * ({@code target/aot-jar/quarkus-app}, built next to the default fast-jar by every {@code ./mvnw
 * package}) trained once with a JDK 25 ({@code -XX:AOTCacheOutput}), then started with the cache it
 * left ({@code -XX:AOTCache}, {@code -XX:AOTMode=on}: the JVM refuses to start rather than ignore a
 * cache that does not fit) and asked for its first {@code PUT}. The application's own classes must
 * come from the cache. Without a JDK 25 on the machine the test is skipped and says so.
 */
class AotCacheIT {

    private static final Path AOT_JAR = Path.of("target", "aot-jar", "quarkus-app", "quarkus-run.jar");
    private static final Path WORK = Path.of("target", "aot-it");
    private static final String JDK_VARIABLE = "REDFOUR_AOT_JAVA_HOME";
    private static final String OPENAPI_JSON = "/q/openapi?format=json";
    private static final String OPENAPI_YAML = "/q/openapi";

    @Test
    void trainedCacheServesTheFirstPut() throws IOException {
        Packaged.assumeJvm("AotCacheIT", "the JDK 25 AOT cache of the aot-jar packaging, which a native build does not make");
        Optional<Path> jdk = jdk25();
        if (jdk.isEmpty()) {
            String why = "AotCacheIT skipped: no JDK 25 found (set " + JDK_VARIABLE + ", run Maven on a JDK 25, "
                    + "or install one under /usr/lib/jvm); the AOT-cache start path is not tested on this machine";
            System.out.println(why);
            Assumptions.abort(why);
        }
        assertThat(AOT_JAR).as("the aot-jar packaging is built by ./mvnw package").isRegularFile();
        Files.createDirectories(WORK);
        Path cache = WORK.resolve("app.aot").toAbsolutePath();
        Path classLoading = WORK.resolve("class-load.log").toAbsolutePath();
        Files.deleteIfExists(cache);
        Files.deleteIfExists(classLoading);
        String database = TestDatabase.fresh("aot_it");
        String openApiJson;
        String openApiYaml;

        // Training: what the JVM loads and profiles until it exits is written to the cache at exit.
        try (PackagedApp.Serving training = PackagedApp.on(database).java(jdk.get()).jar(AOT_JAR)
                .jvm("-XX:AOTCacheOutput=" + cache).serve("aot-training")) {
            assertThat(training.firstPut(Duration.ofSeconds(120)).status()).as(training.output()).isEqualTo(201);
            assertThat(training.firstPut(Duration.ofSeconds(30)).status()).isEqualTo(201);
            openApiJson = training.get(OPENAPI_JSON);
            openApiYaml = training.get(OPENAPI_YAML);
            training.close(); // SIGTERM: the JVM assembles the cache before it exits
            assertThat(training.output()).contains("AOTCache creation is complete");
        }
        assertThat(cache).isRegularFile();

        try (PackagedApp.Serving cached = PackagedApp.on(database).java(jdk.get()).jar(AOT_JAR)
                .jvm("-XX:AOTCache=" + cache, "-XX:AOTMode=on", "-Xlog:class+load=info:file=" + classLoading)
                // The Knative Service's cold-start settings (k8s/overlays/knative): no migration and no
                // Flyway at start, the OpenAPI document written per request.
                .env("QUARKUS_FLYWAY_MIGRATE_AT_START", "false")
                .env("QUARKUS_FLYWAY_ACTIVE", "false")
                .env("QUARKUS_SMALLRYE_OPENAPI_ALWAYS_RUN_FILTER", "true")
                .serve("aot-cached")) {
            PackagedApp.Answered first = cached.firstPut(Duration.ofSeconds(60));
            assertThat(first.status()).as(cached.output()).isEqualTo(201);
            System.out.printf("AotCacheIT: first PUT answered %d ms after exec with the AOT cache (%s)%n",
                    first.afterStart().toMillis(), jdk.get());
            for (int i = 0; i < 2; i++) {
                assertThat(cached.get(OPENAPI_JSON)).as("the document written per request, request %d", i + 1)
                        .isEqualTo(openApiJson);
                assertThat(cached.get(OPENAPI_YAML)).isEqualTo(openApiYaml);
            }
        }
        List<String> loaded = Files.readAllLines(classLoading);
        assertThat(loaded).as("the application's entry point and its REST resource are loaded from the cache")
                .anyMatch(line -> line.contains(" com.redfour.shopping.Main source: shared objects file"))
                .anyMatch(line -> line.contains(" com.redfour.shopping.session.api.SessionResource source: shared objects file"));
    }

    /**
     * A JDK 25 or newer: {@code REDFOUR_AOT_JAVA_HOME}, else the JVM running the tests, else the
     * newest {@code /usr/lib/jvm/*25*} with a {@code bin/java}.
     */
    static Optional<Path> jdk25() {
        String configured = System.getenv(JDK_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured));
        }
        if (Runtime.version().feature() >= 25) {
            return Optional.of(Path.of(System.getProperty("java.home")));
        }
        Path installed = Path.of("/usr/lib/jvm");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> homes = Files.list(installed)) {
            return homes.filter(home -> home.getFileName().toString().contains("25"))
                    .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                    .max(Comparator.comparing(Path::toString));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
