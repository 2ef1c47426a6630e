package com.redfour.shopping.reliability;

import com.redfour.shopping.support.Packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged service (prod profile) run as a child process, as it runs in production: configured
 * by environment, stopped by a signal. What runs is what the build packaged ({@link Packaged}): the
 * fast-jar on a JVM, or the native executable after {@code ./mvnw verify -Dnative}.
 */
final class PackagedService implements AutoCloseable {

    /** The key of store {@code demo} (tests send {@code Authorization: Bearer demo-key}). */
    static final String API_KEY = "demo-key";
    /** {@code printf %s demo-key | sha256sum}. */
    static final String API_KEY_SHA256 = "c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c";

    private static final Packaged PACKAGED = Packaged.built();
    private static final Duration START_DEADLINE = Duration.ofSeconds(90);

    private final String name;
    private final FaultDatabase database;
    private final Map<String, String> extraEnvironment;
    private final int port;
    private final Path log;
    private Process process;
    private int starts;

    private PackagedService(String name, FaultDatabase database, Map<String, String> extraEnvironment) {
        this.name = name;
        this.database = database;
        this.extraEnvironment = extraEnvironment;
        this.port = FaultDatabase.freePort();
        this.log = Path.of("target", "fault-logs", name + ".log").toAbsolutePath();
    }

    /** Starts the service against {@code database} and waits until it is ready. */
    static PackagedService start(String name, FaultDatabase database, Map<String, String> extraEnvironment) {
        PackagedService service = new PackagedService(name, database, extraEnvironment);
        service.start();
        return service;
    }

    /** (Re)starts the process on the same port and waits for {@code /q/health/ready}; answers how long that took. */
    Duration start() {
        List<String> command = PACKAGED.command(List.of("-XX:TieredStopAtLevel=1"), List.of("-Xmx256m"), List.of());
        long began = System.nanoTime();
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(starts++ == 0 ? ProcessBuilder.Redirect.to(log.toFile())
                            : ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("REDFOUR_"));
            env.putAll(environment());
            process = builder.start();
            System.out.printf("%s: started %s (%s), pid %d%n", name, PACKAGED.kind(), PACKAGED.path(), process.pid());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpClient probe = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = began + START_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + " while starting; see " + log);
            }
            try {
                HttpResponse<String> ready = probe.send(HttpRequest.newBuilder(uri("/q/health/ready"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - began);
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(50));
        }
        throw new IllegalStateException(name + " was not ready within " + START_DEADLINE + "; see " + log);
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", database.reactiveUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("REDFOUR_API_KEYS", "demo:" + API_KEY_SHA256);
        env.putAll(extraEnvironment);
        return env;
    }

    URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    long pid() {
        return process.pid();
    }

    /** {@code kill -9}: no shutdown hook, no draining. */
    void kill() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** {@code kill -TERM}: Quarkus' graceful shutdown. */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to end; answers whether it did within {@code limit}. */
    boolean awaitExit(Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    int exitValue() {
        return process.exitValue();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    /** A short pause between two polls of an observable condition (never a stand-in for one). */
    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
