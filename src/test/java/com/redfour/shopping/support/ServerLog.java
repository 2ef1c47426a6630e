package com.redfour.shopping.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The log of the packaged application that {@code @QuarkusIntegrationTest} started (its output goes to
 * {@code target/quarkus.log}), read from a mark on: the server-side half of a test that must leave no
 * error behind, when the server is another process (the jar or the native executable).
 */
public final class ServerLog {

    private static final Path FILE = Path.of("target", "quarkus.log");

    private final long mark;

    private ServerLog(long mark) {
        this.mark = mark;
    }

    /** A mark at the end of the log as it is now. */
    public static ServerLog markEnd() {
        try {
            return new ServerLog(Files.isRegularFile(FILE) ? Files.size(FILE) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Lines written since the mark that report an error (level {@code ERROR}, as text or JSON) or a
     * response written twice. A log that shrank was started anew, and is read whole.
     */
    public List<String> errorsSinceMark() {
        try {
            byte[] all = Files.readAllBytes(FILE);
            int from = mark <= all.length ? (int) mark : 0;
            String written = new String(all, from, all.length - from, StandardCharsets.UTF_8);
            return Arrays.stream(written.split("\n"))
                    .filter(line -> line.contains(" ERROR ") || line.contains("\"level\":\"ERROR\"")
                            || line.contains("already been written"))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
