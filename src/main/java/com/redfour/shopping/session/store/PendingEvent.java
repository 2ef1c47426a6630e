package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.Session;

import java.time.Instant;

/**
 * The event of one written change, to be saved with it: what happened, to which session, at which
 * version and when, and the session it left (whose summary the event carries).
 */
public record PendingEvent(Happened happened, long version, Instant at, Session state) {

    public static PendingEvent of(Happened happened, Session after) {
        return new PendingEvent(happened, after.version(), after.updatedAt(), after);
    }
}
