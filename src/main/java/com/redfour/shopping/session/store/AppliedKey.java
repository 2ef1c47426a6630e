package com.redfour.shopping.session.store;

import java.time.Instant;

/**
 * An {@code Idempotency-Key} that changed a session: kept in the session's row, written in the same
 * versioned write as the change itself.
 *
 * @param key the client's key
 * @param fingerprint what the request was (method, path, body), to tell a repeat from a reuse
 * @param outcome what the first request came to, so that a repeat is answered the same way
 * @param at when it was applied
 */
public record AppliedKey(String key, String fingerprint, Outcome.Kind outcome, Instant at) {
}
