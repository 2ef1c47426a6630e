package com.redfour.shopping.session.write;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * When a write that lost the version check is tried again: up to {@code maxAttempts} attempts in
 * all, each after a random wait of at least 1 ms (timers go no finer) up to a bound that doubles
 * with each attempt, capped at {@code maxDelay}.
 */
record Retry(int maxAttempts, Duration maxDelay, RandomGenerator random) {

    private static final long MIN_DELAY_NANOS = 1_000_000L;

    Retry {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
    }

    /** Whether attempt number {@code attempt} (from 1) was the last. */
    boolean exhausted(int attempt) {
        return attempt >= maxAttempts;
    }

    /** The wait before the attempt after {@code attempt}. */
    Duration delay(int attempt) {
        long bound = Math.max(MIN_DELAY_NANOS, Math.min(maxDelay.toNanos(), MIN_DELAY_NANOS << Math.min(attempt, 20)));
        return Duration.ofNanos(MIN_DELAY_NANOS + random.nextLong(bound));
    }
}
