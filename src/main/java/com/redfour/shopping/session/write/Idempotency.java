package com.redfour.shopping.session.write;

/**
 * The {@code Idempotency-Key} of a change and the fingerprint of the request that carried it
 * (method, path and canonical body), which tells a repeat from a reuse of the key.
 */
public record Idempotency(String key, String fingerprint) {
}
