package com.redfour.shopping.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static com.redfour.shopping.deploy.Manifests.ROOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container build files agree with the manifests: non-root numeric users (runAsNonRoot
 * needs them), port 8080, an ENTRYPOINT that `args: ["purge"]` appends to, a build context
 * (.dockerignore) that holds what each Dockerfile copies, and a native CI workflow that
 * really builds with Mandrel and runs the integration tests.
 */
class DeployPackagingTest {

    private static final Path DOCKER = ROOT.resolve("src/main/docker");

    /** One Dockerfile instruction, continuation lines joined. */
    record Instruction(String keyword, String args) {
    }

    @Test
    void jvmImageRunsTheFastJarAsNonRootOnPort8080() throws IOException {
        List<Instruction> file = dockerfile("Dockerfile.jvm");
        assertTrue(from(file).get(0).startsWith("registry.access.redhat.com/ubi9/openjdk-17-runtime:"),
                "JVM runtime: UBI 9 OpenJDK 17 runtime image");
        assertRuntimeConventions(file);
        assertTrue(all(file, "COPY").stream().anyMatch(a -> a.contains("target/quarkus-app/lib/")));
        assertTrue(all(file, "COPY").stream().anyMatch(a -> a.contains("target/quarkus-app/quarkus/")));
        assertTrue(all(file, "ENV").stream().anyMatch(a -> a.contains("JAVA_APP_JAR=\"/deployments/quarkus-run.jar\"")));
    }

    @Test
    void aotImageRunsTheAotJarWithItsCacheOnJdk25() throws IOException {
        List<Instruction> file = dockerfile("Dockerfile.jvm-aot");
        String base = from(file).get(0);
        assertTrue(base.matches("eclipse-temurin:25\\.\\d+\\.\\d+_\\d+-jdk.*"),
                "a JDK 25 pinned to its exact release and build (the cache fits only that JVM), not a JRE: " + base);
        assertRuntimeConventions(file);
        assertTrue(all(file, "COPY").stream().anyMatch(a -> a.contains("target/quarkus-app/app.aot")), "ships the cache");
        assertTrue(all(file, "COPY").stream().anyMatch(a -> a.contains("target/quarkus-app/lib/")));
        assertTrue(all(file, "RUN").stream().anyMatch(a -> a.contains("-XX:AOTMode=on") && a.contains("-XX:AOTCache=/deployments/app.aot")),
                "the image build fails when its JVM would not use the cache");
        String entrypoint = last(file, "ENTRYPOINT");
        assertTrue(entrypoint.contains("exec java -XX:AOTCache=/deployments/app.aot"), entrypoint);
        assertTrue(entrypoint.contains("$JAVA_OPTS_APPEND"), "the manifests' JVM options reach the JVM");
        assertTrue(entrypoint.contains("\\\"$@\\\""), "Kubernetes args (purge, migrate) reach the application");
    }

    /**
     * The image the Knative overlay runs: the executable in the micro base (glibc and zlib, all it links
     * against), started so that Kubernetes args (runtime options, then {@code migrate} or {@code purge})
     * append to the entry point.
     */
    @Test
    void nativeImageRunsTheExecutableAsUser1001() throws IOException {
        List<Instruction> file = dockerfile("Dockerfile.native");
        assertEquals(List.of("quay.io/quarkus/ubi9-quarkus-micro-image:2.0"), from(file));
        assertRuntimeConventions(file);
        assertEquals("1001", last(file, "USER"));
        assertEquals(List.of("--chown=1001:root --chmod=0755 target/*-runner /work/application"), all(file, "COPY"));
        assertEquals(List.of("./application", "-Dquarkus.http.host=0.0.0.0"), entrypoint(file));
        assertFalse(Files.exists(DOCKER.resolve("Dockerfile.native-micro")), "renamed to Dockerfile.native");
    }

    @Test
    void multiStageBuildCompilesWithMandrelAndShipsTheMicroImage() throws IOException {
        List<Instruction> file = dockerfile("Dockerfile.native-build");
        List<String> stages = from(file);
        assertEquals(2, stages.size(), "builder stage + runtime stage");
        assertTrue(stages.get(0).startsWith("quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:"), "Mandrel builder");
        assertTrue(stages.get(0).endsWith(" AS build"), "named builder stage");
        assertTrue(stages.get(1).startsWith("quay.io/quarkus/ubi9-quarkus-micro-image:"), "micro runtime");
        assertTrue(all(file, "RUN").stream().anyMatch(a -> a.contains("./mvnw") && a.contains("-Dnative") && a.contains("package")),
                "builds the native executable with the Maven wrapper");
        assertTrue(all(file, "COPY").stream().anyMatch(a -> a.startsWith("--from=build") && a.contains("-runner")),
                "the runtime stage takes only the executable");
        for (String source : List.of("mvnw", ".mvn", "pom.xml", "src")) {
            assertTrue(all(file, "COPY").stream().anyMatch(a -> a.matches(".*\\s" + java.util.regex.Pattern.quote(source) + "\\s.*")),
                    "copies " + source + " from the repository root");
        }
        assertRuntimeConventions(file);
        assertEquals("1001", last(file, "USER"));
        assertEquals(entrypoint(dockerfile("Dockerfile.native")), entrypoint(file), "the runtime stage starts as Dockerfile.native");
    }

    @Test
    void dockerignoreKeepsExactlyWhatTheDockerfilesCopy() throws IOException {
        List<String> lines = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        assertEquals("*", lines.get(0), "exclude everything by default (target/, .git, IDE files)");
        for (String kept : List.of("!mvnw", "!.mvn/", "!pom.xml", "!src/", "!target/quarkus-app/", "!target/*-runner")) {
            assertTrue(lines.contains(kept), ".dockerignore must re-include " + kept.substring(1));
        }
    }

    @Test
    void nativeWorkflowBuildsWithMandrelAndRunsTheIntegrationTests() throws IOException {
        JsonNode workflow = new YAMLMapper().readTree(ROOT.resolve(".github/workflows/native.yml").toFile());
        assertTrue(workflow.path("on").has("pull_request") || workflow.path("on").has("push"));
        assertEquals("read", workflow.path("permissions").path("contents").asText(), "least privilege");
        JsonNode nativeJob = workflow.path("jobs").path("native");
        assertTrue(nativeJob.path("runs-on").asText().startsWith("ubuntu-"), "hosted runner");
        assertTrue(nativeJob.path("timeout-minutes").asInt() > 0, "a hung native build must not run for 6 hours");
        String run = runs(nativeJob);
        assertTrue(run.contains("./mvnw -B verify -Dnative"), "verify runs the integration tests against the executable");
        assertTrue(run.contains("-Dquarkus.native.container-build=true"));
        assertTrue(workflow.path("env").path("MANDREL_BUILDER").asText().contains("mandrel"), "Mandrel, not GraalVM CE");
        assertTrue(run.contains("docker build -f src/main/docker/Dockerfile.native "), "packages the executable");
        assertTrue(run.contains(" purge"), "exercises the purge mode the CronJob uses");
        assertTrue(runs(workflow.path("jobs").path("multistage")).contains("Dockerfile.native-build"));
        for (JsonNode job : workflow.path("jobs")) {
            for (JsonNode step : job.path("steps")) {
                if (step.has("uses")) {
                    assertTrue(step.path("uses").asText().matches("[\\w.-]+/[\\w.-]+@v\\d+"),
                            "actions pinned to a major version: " + step.path("uses").asText());
                }
            }
        }
    }

    private static void assertRuntimeConventions(List<Instruction> file) {
        String user = last(file, "USER");
        assertTrue(user.matches("\\d+(:\\d+)?"), "numeric USER, so Kubernetes can verify runAsNonRoot: " + user);
        assertFalse(user.startsWith("0"), "not root");
        assertEquals("8080", last(file, "EXPOSE"));
        String entrypoint = last(file, "ENTRYPOINT");
        assertTrue(entrypoint.startsWith("["), "exec-form ENTRYPOINT (signals reach the process): " + entrypoint);
        assertTrue(all(file, "CMD").isEmpty(),
                "no CMD: Kubernetes args (\"purge\") must append to the ENTRYPOINT, not replace a CMD");
    }

    /** The final stage's exec-form ENTRYPOINT as its list of words. */
    static List<String> entrypoint(List<Instruction> file) throws IOException {
        return List.of(new ObjectMapper().readValue(last(file, "ENTRYPOINT"), String[].class));
    }

    static List<Instruction> dockerfile(String name) throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : Files.readAllLines(DOCKER.resolve(name))) {
            String line = raw.strip();
            if (line.startsWith("#") || line.isEmpty() && current.length() == 0) {
                continue;
            }
            boolean continued = line.endsWith("\\");
            current.append(continued ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continued) {
                String text = current.toString().strip();
                current.setLength(0);
                if (!text.isEmpty()) {
                    int space = text.indexOf(' ');
                    out.add(new Instruction(text.substring(0, space).toUpperCase(Locale.ROOT), text.substring(space + 1).strip()));
                }
            }
        }
        return out;
    }

    private static List<String> from(List<Instruction> file) {
        return all(file, "FROM");
    }

    private static List<String> all(List<Instruction> file, String keyword) {
        return file.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::args).toList();
    }

    /** Within the final stage: what the built image ends up with. */
    private static String last(List<Instruction> file, String keyword) {
        int lastFrom = 0;
        for (int i = 0; i < file.size(); i++) {
            if (file.get(i).keyword().equals("FROM")) {
                lastFrom = i;
            }
        }
        List<String> values = all(file.subList(lastFrom, file.size()), keyword);
        assertFalse(values.isEmpty(), "no " + keyword + " in the final stage");
        return values.get(values.size() - 1);
    }

    private static String runs(JsonNode job) {
        StringBuilder all = new StringBuilder();
        job.path("steps").forEach(s -> all.append(s.path("run").asText()).append('\n'));
        return all.toString();
    }
}
