package com.redfour.shopping.support;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The service's clock in {@code @QuarkusTest}s: the real time plus an offset a test can move forward
 * (expiry, the 24-hour idempotency window), then reset. Replaces the default clock bean.
 */
@Singleton
public class TestClock extends Clock {

    private final AtomicReference<Duration> offset = new AtomicReference<>(Duration.ZERO);

    public void advance(Duration by) {
        offset.updateAndGet(current -> current.plus(by));
    }

    /**
     * Moves forward to the next {@code timeOfDay} (UTC), so that a test which counts days has the rest of
     * that day before the next midnight, whatever the hour it runs at.
     */
    public void advanceToNext(LocalTime timeOfDay) {
        Instant now = instant();
        Instant at = now.atZone(ZoneOffset.UTC).toLocalDate().atTime(timeOfDay).toInstant(ZoneOffset.UTC);
        advance(Duration.between(now, at.isAfter(now) ? at : at.plus(Duration.ofDays(1))));
    }

    public void reset() {
        offset.set(Duration.ZERO);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset.get()).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("the service's clock is UTC");
    }
}
