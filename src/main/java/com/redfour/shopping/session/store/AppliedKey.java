package com.redfour.shopping.session.store;

import java.time.Instant;
import java.util.Locale;

/**
 * An {@code Idempotency-Key} that changed a session: kept in the session's row, written in the same
 * versioned write as the change itself.
 *
 * @param key the client's key
 * @param fingerprint what the request was (method, path, body), to tell a repeat from a reuse
 * @param outcome what the first request came to, so that a repeat is answered the same way
 * @param at when it was applied
 */
public record AppliedKey(String key, String fingerprint, Kind outcome, Instant at) {

    /** The kinds of outcome an {@code Idempotency-Key} remembers, to answer a repeat as the first. */
    public enum Kind {
        CREATED, CHANGED, DELETED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind fromWireName(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }
}
