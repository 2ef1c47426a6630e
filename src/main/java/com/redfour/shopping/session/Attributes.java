package com.redfour.shopping.session;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The rules of attributes, on a line or on the session: string values under short keys. Held as
 * unmodifiable maps sorted by key, so that two lines with the same attributes are equal and a
 * document is always written the same way.
 */
public final class Attributes {

    /** How a key is spelled. */
    public static final String KEY = "^[A-Za-z0-9_.-]{1,40}$";
    /** The longest value. */
    public static final int MAX_VALUE_LENGTH = 200;
    /** The most attributes a line carries. */
    public static final int MAX_PER_LINE = 10;
    /** The most attributes a session carries. */
    public static final int MAX_PER_SESSION = 20;

    private static final Pattern KEY_PATTERN = Pattern.compile(KEY);

    private Attributes() {
    }

    /** An unmodifiable, key-sorted copy; {@code null} is none. */
    public static Map<String, String> copyOf(Map<String, String> attributes) {
        if (attributes == null || attributes.isEmpty()) {
            return Map.of();
        }
        return Collections.unmodifiableMap(new TreeMap<>(attributes));
    }

    /** What is wrong with one key and its value, if anything. */
    public static Optional<String> problemWith(String key, String value) {
        if (key == null || !KEY_PATTERN.matcher(key).matches()) {
            return Optional.of("key " + quoted(key) + " must match " + KEY);
        }
        if (value == null) {
            return Optional.of("value of " + key + " must be a string");
        }
        if (value.length() > MAX_VALUE_LENGTH) {
            return Optional.of("value of " + key + " must be at most " + MAX_VALUE_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /** What is wrong with a set of attributes of at most {@code maxKeys} keys, if anything. */
    public static Optional<String> problemWith(Map<String, String> attributes, int maxKeys) {
        if (attributes.size() > maxKeys) {
            return Optional.of("must have at most " + maxKeys + " keys");
        }
        for (Map.Entry<String, String> entry : attributes.entrySet()) {
            Optional<String> problem = problemWith(entry.getKey(), entry.getValue());
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private static String quoted(String key) {
        if (key == null) {
            return "null";
        }
        String shown = key.length() > 40 ? key.substring(0, 40) + "…" : key;
        return "\"" + shown.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
