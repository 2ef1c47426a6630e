package com.redfour.shopping.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The one line each fault test prints (and appends to {@code target/reliability-summary.txt}), in
 * the shape of a row of the table in {@code docs/reliability.md}.
 */
final class Summary {

    private static final Path FILE = Path.of("target", "reliability-summary.txt");

    private Summary() {
    }

    static void print(String fault, long sent, long acknowledged, long lost, String recovery, String notes) {
        String row = "| " + fault + " | " + sent + " | " + acknowledged + " | " + lost + " | " + recovery + " | " + notes + " |";
        System.out.println("RELIABILITY " + row);
        try {
            Files.writeString(FILE, row + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** {@code count} new open sessions of store {@code demo}. */
    static List<String> openSessions(Api api, String prefix, int count) throws IOException, InterruptedException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + UUID.randomUUID().toString().replace("-", "");
            Api.Reply created = api.send("PUT", Api.session(key), "{}");
            if (created.status() != 201) {
                throw new AssertionError("could not open session " + key + ": " + created.status() + " " + created.body());
            }
            keys.add(key);
        }
        return keys;
    }
}
