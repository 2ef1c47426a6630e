package com.redfour.shopping.session;

import java.util.Optional;

/**
 * A change the session's rules refuse. It changes nothing, except that an {@code auditEntry}, when
 * present, is still written to the session's log (a suspected tampering attempt, for example).
 */
public final class ChangeRejected extends RuntimeException {

    /** Why the change was refused; the HTTP edge maps each reason to a status. */
    public enum Reason {
        /** The line or discount the change names is not in the session. */
        NOT_FOUND,
        /** The session is closed or merged and takes no more changes. */
        CLOSED,
        /** The change breaks a rule of the session (a limit, a value out of range). */
        INVALID,
        /** The change names a line by sku, and several lines carry that sku. */
        AMBIGUOUS
    }

    private final Reason reason;
    private final String field;
    private final String auditEntry;

    private ChangeRejected(Reason reason, String field, String message, String auditEntry) {
        super(message, null, false, false);
        this.reason = reason;
        this.field = field;
        this.auditEntry = auditEntry;
    }

    public static ChangeRejected notFound(String message) {
        return new ChangeRejected(Reason.NOT_FOUND, null, message, null);
    }

    public static ChangeRejected ambiguous(String message) {
        return new ChangeRejected(Reason.AMBIGUOUS, null, message, null);
    }

    public static ChangeRejected closed(Status status) {
        return new ChangeRejected(Reason.CLOSED, null, "the session is " + status.wireName() + " and accepts no changes", null);
    }

    public static ChangeRejected invalid(String field, String message) {
        return new ChangeRejected(Reason.INVALID, field, message, null);
    }

    /** Invalid, and worth remembering in the session's log. */
    public static ChangeRejected invalidAndLogged(String field, String message, String auditEntry) {
        return new ChangeRejected(Reason.INVALID, field, message, auditEntry);
    }

    public Reason reason() {
        return reason;
    }

    /** The request field at fault, for {@link Reason#INVALID}. */
    public Optional<String> field() {
        return Optional.ofNullable(field);
    }

    public Optional<String> auditEntry() {
        return Optional.ofNullable(auditEntry);
    }
}
