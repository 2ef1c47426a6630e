package com.redfour.shopping.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application run as a child process the way operators run it: {@code java [options]
 * -jar quarkus-run.jar [command]}, or the native executable where the build made one
 * ({@link Packaged}), configured by environment only, against a database of its own.
 */
public final class PackagedApp {

    private Path javaHome = Path.of(System.getProperty("java.home"));
    private Packaged packaged = Packaged.built();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int port;
    private final Map<Process, Path> logs = new LinkedHashMap<>();

    private PackagedApp(String databaseUrl) {
        this.port = freePort();
        environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", databaseUrl);
        environment.put("QUARKUS_DATASOURCE_USERNAME", TestDatabase.username());
        environment.put("QUARKUS_DATASOURCE_PASSWORD", TestDatabase.password());
        environment.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        environment.put("REDFOUR_API_KEYS", Api.KEYS);
    }

    /**
     * What the build packaged (the native executable after {@code -Dnative}, else the jar in
     * {@code target/quarkus-app} run by the JVM running the tests), on {@code databaseUrl}.
     */
    public static PackagedApp on(String databaseUrl) {
        return new PackagedApp(databaseUrl);
    }

    /** Runs a jar with the {@code java} of another JDK. */
    public PackagedApp java(Path otherJavaHome) {
        javaHome = otherJavaHome;
        return this;
    }

    /** Runs another jar packaging of the application (its {@code quarkus-run.jar}). */
    public PackagedApp jar(Path otherJar) {
        packaged = new Packaged(Packaged.Kind.JAR, otherJar.toAbsolutePath());
        return this;
    }

    /** Options for a JVM (ignored by a native executable, which takes none of them). */
    public PackagedApp jvm(String... options) {
        jvmOptions.addAll(List.of(options));
        return this;
    }

    public PackagedApp env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The HTTP port the server listens on. */
    public int port() {
        return port;
    }

    /** Runs a command mode ({@code purge}, {@code migrate}) to its exit; the process is killed past {@code limit}. */
    public Finished run(String command, Duration limit) {
        return run(List.of(command), "command-" + command, limit);
    }

    /**
     * Runs with {@code arguments} after the executable's own, as Kubernetes appends a container's
     * {@code args} to the image's entry point, to its exit; the process is killed past {@code limit}.
     * A native executable takes the runtime options among them ({@code -Xmx…}, {@code -XX:…},
     * {@code -D…}) and hands the rest to the application; a jar hands all of them to the application.
     */
    public Finished run(List<String> arguments, String name, Duration limit) {
        Process process = start(arguments, name);
        try {
            boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor();
            }
            return new Finished(exited, exited ? process.exitValue() : -1, output(process));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    /** Starts the server; close the answer to stop it (SIGTERM). */
    public Serving serve(String name) {
        return serve(List.of(), name);
    }

    /** Starts the server with {@code arguments} after the executable's own (as {@link #run(List, String, Duration)}). */
    public Serving serve(List<String> arguments, String name) {
        return new Serving(start(arguments, name));
    }

    private Process start(List<String> arguments, String name) {
        List<String> command = packaged.command(javaHome, jvmOptions, List.of(), arguments);
        try {
            Path log = Files.createDirectories(Path.of("target", "command-logs")).resolve(name + "-" + port + ".log");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("REDFOUR_"));
            builder.environment().putAll(environment);
            Process process = builder.start();
            System.out.printf("%s: started %s (%s), pid %d%n", name, packaged.kind(), packaged.path(), process.pid());
            logs.put(process, log);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String output(Process process) {
        try {
            return Files.readString(logs.get(process));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How a command ended: whether it exited in time, its exit code and everything it printed. */
    public record Finished(boolean exited, int exitCode, String output) {
    }

    /** A running server. */
    public final class Serving implements AutoCloseable {

        private final Process process;
        private final long startedNanos = System.nanoTime();

        private Serving(Process process) {
            this.process = process;
        }

        /**
         * Sends {@code PUT} of a new session until one is answered (the storefront's first call), at
         * most for {@code limit}; answers the response and how long after the start it came.
         */
        public Answered firstPut(Duration limit) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest put = HttpRequest.newBuilder(URI.create("http://localhost:" + port + Api.session(Api.newKey())))
                    .header("Authorization", "Bearer " + Api.KEY).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"landing\":\"/rockets/falcon\"}")).build();
            long deadline = startedNanos + limit.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the service exited with " + process.exitValue() + " while starting:\n" + output());
                }
                try {
                    HttpResponse<String> response = client.send(put, HttpResponse.BodyHandlers.ofString());
                    return new Answered(response.statusCode(), Duration.ofNanos(System.nanoTime() - startedNanos));
                } catch (IOException notListeningYet) {
                    pause();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            throw new IllegalStateException("no answer within " + limit + ":\n" + output());
        }

        /** The body of a {@code GET} of {@code path} (with query), once the server answers; fails on any status but 200. */
        public String get(String path) {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30)).GET().build();
            try {
                HttpResponse<String> response = client.send(get, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET " + path + " answered " + response.statusCode() + ":\n" + output());
                }
                return response.body();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        public String output() {
            return PackagedApp.this.output(process);
        }

        /** SIGTERM, then waits for the exit (a JVM writing an AOT cache at exit takes a while). */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** A response to the first request and when it came. */
    public record Answered(int status, Duration afterStart) {
    }

    /** A short pause between two attempts to connect to a server that is still starting (a poll, not a wait for a guess). */
    private static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
