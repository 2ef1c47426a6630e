package com.redfour.shopping.session.api;

import com.redfour.shopping.session.write.Idempotency;
import com.redfour.shopping.session.write.Precondition;
import com.redfour.shopping.http.ApiProblem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Matcher;

/** Reads the conditional and idempotency headers of a request; anything malformed is a 400. */
final class RequestHeaders {

    private static final java.util.regex.Pattern ENTITY_TAG = java.util.regex.Pattern.compile("\\s*(W/)?\"([0-9]{1,18})\"\\s*");
    private static final java.util.regex.Pattern IDEMPOTENCY_KEY = java.util.regex.Pattern.compile("^[\\x21-\\x7E]{1,255}$");

    private RequestHeaders() {
    }

    /** The ETag of a session at {@code version}. */
    static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** {@code If-Match}: {@code *} or a list of strong entity tags (a weak tag never matches). */
    static Precondition ifMatch(String header) {
        if (header == null) {
            return Precondition.NONE;
        }
        if (header.trim().equals("*")) {
            return Precondition.ANY;
        }
        return Precondition.oneOf(versions("If-Match", header, false));
    }

    /** Whether {@code If-None-Match} names the session's current version (weak comparison). */
    static boolean noneMatchHits(String header, long version) {
        if (header == null) {
            return false;
        }
        return header.trim().equals("*") || versions("If-None-Match", header, true).contains(version);
    }

    private static Set<Long> versions(String name, String header, boolean weakToo) {
        Set<Long> versions = new HashSet<>();
        for (String tag : header.split(",", -1)) {
            Matcher m = ENTITY_TAG.matcher(tag);
            if (!m.matches()) {
                throw ApiProblem.invalidRequest(name + " must be * or a list of entity tags such as \"4\"");
            }
            if (weakToo || m.group(1) == null) {
                versions.add(Long.parseLong(m.group(2)));
            }
        }
        return versions;
    }

    /**
     * {@code Idempotency-Key} with the fingerprint of the request it came with: method, path and
     * body as parsed and written back canonically, so whitespace does not make two requests differ.
     */
    static Idempotency idempotency(String key, String method, String path, String canonicalBody) {
        if (key == null) {
            return null;
        }
        if (!IDEMPOTENCY_KEY.matcher(key).matches()) {
            throw ApiProblem.invalidRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        return new Idempotency(key, sha256(method + " " + path + "\n" + canonicalBody));
    }

    private static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
