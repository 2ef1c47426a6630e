package com.redfour.shopping.session;

import java.time.Instant;

/**
 * One visit that brought the customer to the session: when, where they landed, where from, and the
 * campaign tags and click id of the landing URL ({@link LandingUrl}).
 */
public record Touch(Instant at, String landing, String referrer, Utm utm, String clickId) {

    /** The UTM tags of a landing URL; each {@code null} when the URL does not carry it. */
    public record Utm(String source, String medium, String campaign, String term, String content) {
        public static final Utm NONE = new Utm(null, null, null, null, null);
    }

    public Touch {
        utm = utm == null ? Utm.NONE : utm;
    }

    /** A touch at {@code at}, its tags parsed from {@code landing}. */
    public static Touch of(Instant at, String landing, String referrer) {
        LandingUrl url = LandingUrl.parse(landing);
        return new Touch(at, landing, referrer, url.utm(), url.clickId());
    }
}
