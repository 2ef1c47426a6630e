package com.redfour.shopping.session;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How the service writes an instant: UTC ISO-8601 with milliseconds, as in {@code 2026-11-23T10:00:00.123Z}. */
public final class Timestamps {

    private Timestamps() {
    }

    /**
     * Instants here are whole milliseconds (the service's clock ticks in them), which
     * {@link Instant#toString()} writes with three fraction digits, except a whole second, which it
     * writes with none.
     */
    public static String iso(Instant instant) {
        Instant millis = instant.getNano() % 1_000_000 == 0 ? instant : instant.truncatedTo(ChronoUnit.MILLIS);
        String text = millis.toString();
        return millis.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }
}
