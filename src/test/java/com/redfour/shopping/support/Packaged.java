package com.redfour.shopping.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The packaged application that {@code ./mvnw verify} built, and the command line that runs it: the
 * fast-jar on the test JVM's {@code java}, or, after {@code -Dnative}, the native executable. Read
 * from {@code target/quarkus-artifact.properties}, the file Quarkus writes for its own
 * {@code @QuarkusIntegrationTest} launcher, so every test that starts the service as a process runs
 * what {@code @QuarkusIntegrationTest} runs.
 */
public record Packaged(Kind kind, Path path) {

    /** What the build produced. */
    public enum Kind {
        JAR, NATIVE
    }

    private static final Path TARGET = Path.of("target");
    private static final Path JAR = TARGET.resolve("quarkus-app").resolve("quarkus-run.jar");

    /** The packaging this build left in {@code target/} (the fast-jar when the build wrote no artifact file). */
    public static Packaged built() {
        Path artifact = TARGET.resolve("quarkus-artifact.properties");
        if (!Files.isRegularFile(artifact)) {
            return new Packaged(Kind.JAR, JAR.toAbsolutePath());
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(artifact)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if ("native".equals(properties.getProperty("type"))) {
            return new Packaged(Kind.NATIVE, TARGET.resolve(properties.getProperty("path")).toAbsolutePath());
        }
        return new Packaged(Kind.JAR, JAR.toAbsolutePath());
    }

    public boolean isNative() {
        return kind == Kind.NATIVE;
    }

    /**
     * The command that starts it. {@code runtimeOptions} apply to both ({@code -Xmx…}, {@code -D…});
     * {@code jvmOptions} only to a JVM ({@code -XX:TieredStopAtLevel=1} and the like, which a native
     * executable does not take); {@code arguments} follow (a command mode such as {@code purge}).
     */
    public List<String> command(Path javaHome, List<String> jvmOptions, List<String> runtimeOptions, List<String> arguments) {
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " is missing: tests that start the packaged service run after packaging (./mvnw verify)");
        }
        List<String> command = new ArrayList<>();
        if (isNative()) {
            command.add(path.toString());
            command.addAll(runtimeOptions);
        } else {
            command.add(javaHome.resolve("bin").resolve("java").toString());
            command.addAll(jvmOptions);
            command.addAll(runtimeOptions);
            command.add("-jar");
            command.add(path.toString());
        }
        command.addAll(arguments);
        return command;
    }

    /** The same, with the {@code java} of the JVM running the tests. */
    public List<String> command(List<String> jvmOptions, List<String> runtimeOptions, List<String> arguments) {
        return command(Path.of(System.getProperty("java.home")), jvmOptions, runtimeOptions, arguments);
    }

    /** A test that only makes sense on the JVM is skipped, with {@code why} printed, when the build is native. */
    public static void assumeJvm(String test, String why) {
        if (built().isNative()) {
            String message = test + " skipped: it tests the JVM packaging only (" + why + "); this build is native";
            System.out.println(message);
            Assumptions.abort(message);
        }
    }

    /** A test that only makes sense on the native executable is skipped, with a message, when the build is not. */
    public static Packaged assumeNative(String test) {
        Packaged built = built();
        if (!built.isNative()) {
            String message = test + " skipped: no native executable in this build (./mvnw verify -Dnative builds one)";
            System.out.println(message);
            Assumptions.abort(message);
        }
        return built;
    }
}
