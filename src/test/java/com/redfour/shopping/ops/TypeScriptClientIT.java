package com.redfour.shopping.ops;

import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static com.redfour.shopping.support.Commands.runs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TypeScript client in {@code clients/typescript} against the packaged service: its generated
 * types are what the live OpenAPI document generates today, it builds, and the README's walk-through
 * and a set of refusals the document declares run through it, once directly and once through
 * Stoplight Prism's validating proxy with
 * {@code --errors}, so that any request or response that disagrees with the document fails the run.
 * Needs {@code node} and {@code npm} on the PATH; skipped with a message where they are not.
 */
class TypeScriptClientIT {

    private static final Path CLIENT = Path.of("clients", "typescript").toAbsolutePath();
    private static final Path WORK = Path.of("target", "ts-client").toAbsolutePath();
    private static final String OPENAPI_PATH = "/q/openapi?format=json";

    @Test
    void theClientMatchesTheDocumentAndTheDocumentMatchesTheService() throws Exception {
        Assumptions.assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "node and npm are not on the PATH: the TypeScript client (clients/typescript) is neither built nor tested");
        Files.createDirectories(WORK);
        install();

        PackagedApp app = PackagedApp.on(TestDatabase.fresh("tsclient"));
        try (PackagedApp.Serving serving = app.serve("ts-client")) {
            assertThat(serving.firstPut(Duration.ofSeconds(90)).status()).isEqualTo(201);
            String service = "http://127.0.0.1:" + app.port();

            // (a) the committed types are what the live document generates
            Path document = WORK.resolve("openapi.json");
            HttpResponse<String> served = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(service + OPENAPI_PATH)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(served.statusCode()).isEqualTo(200);
            Files.writeString(document, served.body());
            Path regenerated = WORK.resolve("schema.ts");
            npm(Duration.ofMinutes(2), Map.of(), "run", "generate", "--", document.toString(), "-o", regenerated.toString());
            assertThat(Files.readString(regenerated))
                    .as("clients/typescript/src/schema.ts is stale: run `npm run generate -- " + service + OPENAPI_PATH
                            + " -o src/schema.ts` in clients/typescript against the service built from this tree")
                    .isEqualTo(Files.readString(CLIENT.resolve("src").resolve("schema.ts")));

            // (b) it builds, and drives the walk-through against the service
            npm(Duration.ofMinutes(2), Map.of(), "run", "build");
            npm(Duration.ofMinutes(2), Map.of("SESSIONS_URL", service), "test");

            // (c) the same walk-through through a proxy that fails whatever disagrees with the document
            int prismPort = freePort();
            Path prismLog = WORK.resolve("prism.log");
            // run directly, not through npm, so that stopping this process stops Prism
            Process prism = new ProcessBuilder(CLIENT.resolve("node_modules").resolve(".bin").resolve("prism").toString(),
                    "proxy", document.toString(), service,
                    "--errors", "--host", "127.0.0.1", "--port", Integer.toString(prismPort))
                    .directory(CLIENT.toFile()).redirectErrorStream(true).redirectOutput(prismLog.toFile()).start();
            try {
                awaitListening(prism, prismPort, prismLog);
                npm(Duration.ofMinutes(2), Map.of("SESSIONS_URL", "http://127.0.0.1:" + prismPort), "test");
            } finally {
                prism.descendants().forEach(ProcessHandle::destroy);
                prism.destroy();
                if (!prism.waitFor(10, TimeUnit.SECONDS)) {
                    prism.destroyForcibly();
                }
            }
            assertThat(Files.readString(prismLog)).as("Prism reported violations").doesNotContainIgnoringCase("violation");
        }
    }

    /** {@code npm ci} unless {@code node_modules} is already what the lock file says. */
    private static void install() throws Exception {
        Path installed = CLIENT.resolve("node_modules").resolve(".package-lock.json");
        Path lock = CLIENT.resolve("package-lock.json");
        if (!Files.exists(installed) || Files.getLastModifiedTime(installed).compareTo(Files.getLastModifiedTime(lock)) < 0) {
            npm(Duration.ofMinutes(8), Map.of(), "ci", "--no-audit", "--no-fund");
        }
    }

    private static void npm(Duration limit, Map<String, String> environment, String... arguments) throws Exception {
        List<String> command = npmCommand(arguments);
        Path log = WORK.resolve("npm-" + arguments[0] + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(CLIENT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.println("$ " + String.join(" ", command) + "\n" + output);
        assertThat(exited && process.exitValue() == 0).as(String.join(" ", command) + " failed:\n" + output).isTrue();
    }

    private static List<String> npmCommand(String... arguments) {
        List<String> command = new ArrayList<>(List.of("npm", "--silent"));
        command.addAll(List.of(arguments));
        return command;
    }

    /** Polls (with a deadline) until Prism accepts connections. */
    private static void awaitListening(Process prism, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!prism.isAlive()) {
                throw new AssertionError("prism exited with " + prism.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                prism.waitFor(50, TimeUnit.MILLISECONDS);
            }
        }
        throw new AssertionError("prism did not listen within 60 s:\n" + Files.readString(log));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
