package com.redfour.shopping.session;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a session lives after its last change: {@code ttl}, or the shorter {@code emptyTtl} while
 * it holds nothing (no lines, member, note or attributes). The table stores the expiry it tells, and
 * the API shows it.
 */
public record Lifetime(Duration ttl, Duration emptyTtl) {

    /** When {@code session} expires, if nothing changes it before then. */
    public Instant expiresAt(Session session) {
        return session.updatedAt().plus(session.isEmpty() ? emptyTtl : ttl);
    }
}
