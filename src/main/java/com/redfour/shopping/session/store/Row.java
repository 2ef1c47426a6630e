package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A session's row as the pipeline sees it: absent, live, or gone (expired or deleted, keeping only
 * the idempotency keys that may still be repeated).
 */
public sealed interface Row {

    /** How long a key is remembered; the contract promises 24 hours. */
    Duration KEY_LIFETIME = Duration.ofHours(24);
    /** Bounds the row: past this many keys within a day, the oldest are forgotten first. */
    int MAX_KEYS = 1000;

    List<AppliedKey> keys();

    /** This row holding {@code keys} instead (an absent row becomes a gone one). */
    Row withKeys(List<AppliedKey> keys);

    /** No row at all. */
    record Absent() implements Row {
        @Override
        public List<AppliedKey> keys() {
            return List.of();
        }

        @Override
        public Row withKeys(List<AppliedKey> keys) {
            return new Gone(NO_VERSION, keys, false);
        }
    }

    /**
     * An unexpired session and the keys that changed it.
     *
     * @param reportedAbandoned whether the row was reported abandoned (session.abandoned) in this life, as
     *        read: a write checks it like the version, and only then keeps the insights' value current
     */
    record Live(Session session, List<AppliedKey> keys, boolean reportedAbandoned) implements Row {
        public Live {
            keys = List.copyOf(keys);
        }

        public Live(Session session, List<AppliedKey> keys) {
            this(session, keys, false);
        }

        public static Live of(Session session) {
            return new Live(session, List.of());
        }

        public Live with(Session next) {
            return new Live(next, keys, reportedAbandoned);
        }

        @Override
        public Row withKeys(List<AppliedKey> newKeys) {
            return new Live(session, newKeys, reportedAbandoned);
        }
    }

    /**
     * A row that no longer holds a session: it expired, or was deleted and kept as a tombstone.
     *
     * @param version the row's version, which a create over it checks ({@link #NO_VERSION} when not yet in the table)
     * @param expired true when the session expired (answered 410), false when it was deleted (404)
     */
    record Gone(long version, List<AppliedKey> keys, boolean expired) implements Row {
        public Gone {
            keys = List.copyOf(keys);
        }

        /** A deleted session's tombstone. */
        public static Gone deleted(long version, List<AppliedKey> keys) {
            return new Gone(version, keys, false);
        }

        @Override
        public Row withKeys(List<AppliedKey> newKeys) {
            return new Gone(version, newKeys, expired);
        }
    }

    /** The version of a row that is not in the table. */
    long NO_VERSION = -1;

    Row ABSENT = new Absent();

    /** The record of {@code key}, if it was applied within the last 24 hours. */
    default Optional<AppliedKey> applied(String key, Instant now) {
        Instant horizon = now.minus(KEY_LIFETIME);
        return keys().stream().filter(k -> k.key().equals(key) && k.at().isAfter(horizon)).findFirst();
    }

    /** The session, when live. */
    default Optional<Session> current() {
        return this instanceof Live live ? Optional.of(live.session()) : Optional.empty();
    }

    /** This row with {@code key} remembered and keys older than 24 hours forgotten. */
    default Row remembering(AppliedKey key) {
        Instant horizon = key.at().minus(KEY_LIFETIME);
        List<AppliedKey> kept = new ArrayList<>(keys().stream()
                .filter(k -> k.at().isAfter(horizon) && !k.key().equals(key.key()))
                .toList());
        kept.subList(0, Math.max(0, kept.size() + 1 - MAX_KEYS)).clear();
        kept.add(key);
        return withKeys(kept);
    }
}
