package com.redfour.shopping.session.store;

import java.time.Instant;

/**
 * A cart recovery link as stored (never its token: only the token's hash is kept).
 *
 * @param sessionKey the session whose cart it gives back
 * @param sessionCreatedAt when that session was created: the link belongs to that life of the key only
 * @param campaign the shop's name for the mailing it went out in, or {@code null}
 * @param usedAt when a restore used it, or {@code null}
 */
public record RecoveryLink(String store, String id, String sessionKey, Instant sessionCreatedAt, String campaign,
        Instant createdAt, Instant expiresAt, Instant usedAt) {

    public boolean isUsed() {
        return usedAt != null;
    }

    public boolean isExpired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** What a link can do, as its preview tells it. */
    public enum State {
        READY, USED, EXPIRED
    }

    /**
     * What this link can do at {@code now}, given its session's row: used when a restore used it or its
     * session's cart went elsewhere (closed or merged); expired when it or its session did, or when the
     * row no longer holds the session it was made for (deleted, or a later life of the key). A used
     * link reads as used even after its session expired.
     */
    public State state(Row session, Instant now) {
        if (isUsed()) {
            return State.USED;
        }
        if (!(session instanceof Row.Live live) || !live.session().createdAt().equals(sessionCreatedAt)) {
            return State.EXPIRED;
        }
        if (!live.session().isOpen()) {
            return State.USED;
        }
        return isExpired(now) ? State.EXPIRED : State.READY;
    }
}
