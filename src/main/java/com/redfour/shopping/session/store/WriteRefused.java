package com.redfour.shopping.session.store;

import java.util.Optional;

/** A change the store would not write, for a reason other than the session's own rules. */
public final class WriteRefused extends RuntimeException {

    /** Why nothing was written. */
    public enum Why {
        /** No such session (or it expired, or it was deleted). */
        NOT_FOUND,
        /** {@code If-Match} named a version the session is not at. */
        PRECONDITION_FAILED,
        /** The change kept losing races with other writers until its attempts ran out. */
        VERSION_CONFLICT,
        /** The {@code Idempotency-Key} was first used for a different request. */
        KEY_REUSED
    }

    private final Why why;
    private final Long currentVersion;

    private WriteRefused(Why why, Long currentVersion, String message) {
        super(message, null, false, false);
        this.why = why;
        this.currentVersion = currentVersion;
    }

    public static WriteRefused notFound() {
        return new WriteRefused(Why.NOT_FOUND, null, "no such session");
    }

    public static WriteRefused preconditionFailed(Long currentVersion) {
        return new WriteRefused(Why.PRECONDITION_FAILED, currentVersion,
                currentVersion == null ? "the session does not exist" : "the session is at version " + currentVersion);
    }

    public static WriteRefused versionConflict() {
        return new WriteRefused(Why.VERSION_CONFLICT, null,
                "the session kept changing under this request; try again");
    }

    public static WriteRefused keyReused() {
        return new WriteRefused(Why.KEY_REUSED, null,
                "this Idempotency-Key was already used for a different request on this session");
    }

    public Why why() {
        return why;
    }

    public Optional<Long> currentVersion() {
        return Optional.ofNullable(currentVersion);
    }
}
