package com.redfour.shopping.session.store;

import java.time.Instant;

/**
 * An {@code Idempotency-Key} that changed a session: kept in the session's row, written in the same
 * versioned update as the change itself.
 *
 * @param key the client's key
 * @param fingerprint what the request was (method, path, body), to tell a repeat from a reuse
 * @param status the status code the first request was answered with
 * @param at when it was applied
 */
public record AppliedKey(String key, String fingerprint, int status, Instant at) {
}
