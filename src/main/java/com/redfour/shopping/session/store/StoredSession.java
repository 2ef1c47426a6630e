package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A session as its row holds it: the session itself and the idempotency keys that changed it. */
public record StoredSession(Session session, List<AppliedKey> appliedKeys) {

    /** How long a key is remembered; the contract promises 24 hours. */
    public static final Duration KEY_LIFETIME = Duration.ofHours(24);
    /** Bounds the row: past this many keys within a day, the oldest are forgotten first. */
    public static final int MAX_KEYS = 1000;

    public StoredSession {
        appliedKeys = List.copyOf(appliedKeys);
    }

    public static StoredSession of(Session session) {
        return new StoredSession(session, List.of());
    }

    /** The record of {@code key}, if it was applied within the last 24 hours. */
    public Optional<AppliedKey> applied(String key, Instant now) {
        Instant horizon = now.minus(KEY_LIFETIME);
        return appliedKeys.stream().filter(k -> k.key().equals(key) && k.at().isAfter(horizon)).findFirst();
    }

    public StoredSession with(Session next) {
        return new StoredSession(next, appliedKeys);
    }

    /** This row with {@code key} remembered and keys older than 24 hours forgotten. */
    public StoredSession remembering(AppliedKey key) {
        Instant horizon = key.at().minus(KEY_LIFETIME);
        List<AppliedKey> kept = new ArrayList<>(appliedKeys.stream()
                .filter(k -> k.at().isAfter(horizon) && !k.key().equals(key.key()))
                .toList());
        kept.subList(0, Math.max(0, kept.size() + 1 - MAX_KEYS)).clear();
        kept.add(key);
        return new StoredSession(session, kept);
    }
}
