package com.redfour.shopping.event.webhook;

import java.time.Duration;

/**
 * How long to wait after a failed attempt: {@code initial} after the first, doubling after each
 * further one, never more than {@code max}. The caller gives up {@code giveUpAfter} the first attempt.
 */
public record Backoff(Duration initial, Duration max, Duration giveUpAfter) {

    /** The wait after the {@code failedAttempts}-th failed attempt (1 for the first). */
    public Duration after(int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 40));
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }

    /**
     * {@link #after} less up to a fifth, so that deliveries that failed together (an endpoint that
     * was down) do not all come back at the same instant; {@code random} in [0, 1).
     */
    public Duration afterWithJitter(int failedAttempts, double random) {
        long millis = after(failedAttempts).toMillis();
        return Duration.ofMillis(millis - (long) (millis * 0.2 * random));
    }
}
