package com.redfour.shopping.http;

/** The problem types of the contract, each with its status and title. */
public enum ProblemType {
    INVALID_REQUEST(400, "invalid-request", "Invalid request"),
    UNAUTHORIZED(401, "unauthorized", "Unauthorized"),
    NOT_FOUND(404, "not-found", "Not found"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    VERSION_CONFLICT(409, "version-conflict", "Version conflict"),
    SESSION_CLOSED(409, "session-closed", "Session closed"),
    AMBIGUOUS_LINE(409, "ambiguous-line", "Ambiguous line"),
    NOTHING_TO_RECOVER(409, "nothing-to-recover", "Nothing to recover"),
    TOO_MANY_LINKS(409, "too-many-links", "Too many links"),
    SESSION_EXPIRED(410, "session-expired", "Session expired"),
    RECOVERY_LINK_USED(410, "recovery-link-used", "Recovery link used"),
    RECOVERY_LINK_EXPIRED(410, "recovery-link-expired", "Recovery link expired"),
    PRECONDITION_FAILED(412, "precondition-failed", "Precondition failed"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    VALIDATION_FAILED(422, "validation-failed", "Validation failed"),
    IDEMPOTENCY_KEY_REUSED(422, "idempotency-key-reused", "Idempotency key reused"),
    RATE_LIMITED(429, "rate-limited", "Rate limited"),
    INTERNAL(500, "internal", "Internal error"),
    UNAVAILABLE(503, "unavailable", "Service unavailable");

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return "/problems/" + slug;
    }

    public Problem problem(String detail) {
        return new Problem(uri(), title, status, detail, null, null);
    }
}
