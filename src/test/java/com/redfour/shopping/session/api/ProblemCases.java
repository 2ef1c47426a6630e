package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ProblemType;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every {@code /v1} operation of the API, a request it takes, and the refusals it can be driven into,
 * stated here independently of the OpenAPI document so that {@link DocumentedProblemsTest} can hold
 * the document against them. A new operation gets a line here: its method and path as the document
 * writes them, a valid and an invalid body if it takes one, and the groups of refusals it can answer.
 */
final class ProblemCases {

    /** Something done to a request the operation takes, and the problem it is answered with. */
    enum Refusal {
        MALFORMED_PATH(ProblemType.INVALID_REQUEST),
        UNAUTHORIZED(ProblemType.UNAUTHORIZED),
        OTHER_STORE(ProblemType.NOT_FOUND),
        NOT_ACCEPTABLE(ProblemType.NOT_ACCEPTABLE),
        MALFORMED_JSON(ProblemType.INVALID_REQUEST),
        TOO_LARGE(ProblemType.PAYLOAD_TOO_LARGE),
        WRONG_MEDIA_TYPE(ProblemType.UNSUPPORTED_MEDIA_TYPE),
        INVALID_BODY(ProblemType.VALIDATION_FAILED),
        CLOSED(ProblemType.SESSION_CLOSED),
        AMBIGUOUS(ProblemType.AMBIGUOUS_LINE),
        VERSION_CONFLICT(ProblemType.VERSION_CONFLICT),
        EXPIRED(ProblemType.SESSION_EXPIRED),
        STALE_IF_MATCH(ProblemType.PRECONDITION_FAILED),
        KEY_REUSED(ProblemType.IDEMPOTENCY_KEY_REUSED),
        NOTHING_TO_RECOVER(ProblemType.NOTHING_TO_RECOVER),
        TOO_MANY_LINKS(ProblemType.TOO_MANY_LINKS),
        LINK_USED(ProblemType.RECOVERY_LINK_USED),
        LINK_EXPIRED(ProblemType.RECOVERY_LINK_EXPIRED);

        final ProblemType type;

        Refusal(ProblemType type) {
            this.type = type;
        }

        int status() {
            return type.status();
        }

        /** Whether the request needs a real session in a known state (else a key that was never used will do). */
        boolean needsSession() {
            return EnumSet.of(CLOSED, AMBIGUOUS, VERSION_CONFLICT, EXPIRED, STALE_IF_MATCH, KEY_REUSED, NOTHING_TO_RECOVER,
                    TOO_MANY_LINKS).contains(this);
        }
    }

    /** Any {@code /v1} operation. */
    static final Set<Refusal> EVERY = EnumSet.of(Refusal.MALFORMED_PATH, Refusal.UNAUTHORIZED, Refusal.OTHER_STORE,
            Refusal.NOT_ACCEPTABLE);
    /** One that takes a body (added by {@link #op} when a body is given). */
    static final Set<Refusal> BODY = EnumSet.of(Refusal.MALFORMED_JSON, Refusal.TOO_LARGE, Refusal.WRONG_MEDIA_TYPE,
            Refusal.INVALID_BODY);
    /** A write through the session pipeline: If-Match, Idempotency-Key, retries that can run out. */
    static final Set<Refusal> WRITE = EnumSet.of(Refusal.VERSION_CONFLICT, Refusal.STALE_IF_MATCH, Refusal.KEY_REUSED);
    /** One that needs the session to be there. */
    static final Set<Refusal> EXPIRES = EnumSet.of(Refusal.EXPIRED);
    /** A change, which only an open session takes. */
    static final Set<Refusal> CHANGE = EnumSet.of(Refusal.CLOSED);
    /** A line addressed by sku, which several lines can carry. */
    static final Set<Refusal> BY_SKU = EnumSet.of(Refusal.AMBIGUOUS);

    /** Making a recovery link: only for an open session with lines, at most 10 unexpired. */
    static final Set<Refusal> LINKS = EnumSet.of(Refusal.NOTHING_TO_RECOVER, Refusal.TOO_MANY_LINKS);
    /** Restoring through a recovery link: the link used or expired, its cart emptied, the receiving session closed. */
    static final Set<Refusal> RESTORE = EnumSet.of(Refusal.LINK_USED, Refusal.LINK_EXPIRED, Refusal.NOTHING_TO_RECOVER,
            Refusal.CLOSED);

    static final String JSON = "application/json";
    static final String RECOVERY = "/v1/stores/{store}/recovery/{token}";
    static final String SESSION = ProblemResponses.SESSION;

    /** A body the operation takes, and one it refuses as invalid (422). */
    record Body(String contentType, String valid, String invalid) {
    }

    /** One operation: method and path as the document writes them. */
    record Operation(String method, String path, Body body, Set<Refusal> refusals) {
        String name() {
            return method + " " + path;
        }

        boolean findOrCreate() {
            return method.equals("PUT") && path.equals(SESSION);
        }
    }

    static final List<Operation> OPERATIONS = List.of(
            op("PUT", SESSION, json("{\"landing\":\"/rockets\"}", "{\"currency\":\"usd\"}"), WRITE),
            op("GET", SESSION, null, EXPIRES),
            op("DELETE", SESSION, null, WRITE, EXPIRES),
            op("POST", SESSION + "/items", json("{\"sku\":\"RKT-2\",\"name\":\"Saturn\",\"price\":5}",
                    "{\"sku\":\"RKT-2\",\"name\":\"Saturn\",\"price\":5,\"quantity\":0}"), WRITE, EXPIRES, CHANGE),
            op("DELETE", SESSION + "/items", null, WRITE, EXPIRES, CHANGE),
            op("PATCH", SESSION + "/items/{sku}", json("{\"quantity\":3}", "{\"quantity\":1000}"), WRITE, EXPIRES, CHANGE, BY_SKU),
            op("DELETE", SESSION + "/items/{sku}", null, WRITE, EXPIRES, CHANGE, BY_SKU),
            op("PATCH", SESSION + "/lines/{lineId}", json("{\"quantity\":3}", "{\"quantity\":-1}"), WRITE, EXPIRES, CHANGE),
            op("DELETE", SESSION + "/lines/{lineId}", null, WRITE, EXPIRES, CHANGE),
            op("POST", SESSION + "/discounts", json("{\"code\":\"SAVE5\",\"amountOff\":5}", "{\"code\":\"SAVE5\"}"),
                    WRITE, EXPIRES, CHANGE),
            op("DELETE", SESSION + "/discounts/{code}", null, WRITE, EXPIRES, CHANGE),
            op("PUT", SESSION + "/member", json("{\"memberId\":\"ann\"}", "{\"memberId\":\"a b\"}"), WRITE, EXPIRES, CHANGE),
            op("DELETE", SESSION + "/member", null, WRITE, EXPIRES, CHANGE),
            op("POST", SESSION + "/logs", json("{\"entry\":\"Viewed checkout\"}", "{\"entry\":\"\"}"), WRITE, EXPIRES, CHANGE),
            op("PUT", SESSION + "/note", json("{\"note\":\"gift\"}", "{\"note\":\"\"}"), WRITE, EXPIRES, CHANGE),
            op("DELETE", SESSION + "/note", null, WRITE, EXPIRES, CHANGE),
            op("PATCH", SESSION + "/attributes", new Body("application/merge-patch+json", "{\"gift\":\"yes\"}",
                    "{\"bad key!\":\"yes\"}"), WRITE, EXPIRES, CHANGE),
            op("POST", SESSION + "/touches", json("{\"landing\":\"/back\"}", "{\"landing\":\"/back\",\"unknown\":1}"),
                    WRITE, EXPIRES, CHANGE),
            op("POST", SESSION + "/close", json("{\"orderId\":\"1001\"}", "{\"orderId\":\"order 1001\"}"), WRITE, EXPIRES, CHANGE),
            op("GET", "/v1/stores/{store}/sessions", null),
            op("GET", "/v1/stores/{store}/members/{memberId}/sessions", null),
            op("GET", "/v1/stores/{store}/events", null),
            op("GET", "/v1/stores/{store}/insights", null),
            op("GET", "/v1/stores/{store}/webhooks", null),
            op("PUT", "/v1/stores/{store}/webhooks/{id}", json("{\"url\":\"http://127.0.0.1:9/hook\"}",
                    "{\"url\":\"ftp://127.0.0.1/hook\"}")),
            op("GET", "/v1/stores/{store}/webhooks/{id}", null),
            op("DELETE", "/v1/stores/{store}/webhooks/{id}", null),
            op("GET", "/v1/stores/{store}/webhooks/{id}/deliveries", null),
            op("POST", "/v1/stores/{store}/webhooks/{id}/deliveries/{eventId}/retry", null),
            op("POST", SESSION + "/recovery-links", json("{\"ttl\":\"P1D\"}", "{\"ttl\":\"P99D\"}"), EXPIRES, LINKS),
            op("GET", SESSION + "/recovery-links", null, EXPIRES),
            op("GET", RECOVERY, null),
            // {key} in a body is the session the request goes to
            op("POST", RECOVERY + "/restore", json("{\"into\":\"{key}\"}", "{\"into\":\"short\"}"), WRITE, RESTORE));

    private ProblemCases() {
    }

    @SafeVarargs
    private static Operation op(String method, String path, Body body, Set<Refusal>... groups) {
        Set<Refusal> refusals = EnumSet.copyOf(EVERY);
        if (body != null) {
            refusals.addAll(BODY);
        }
        for (Set<Refusal> group : groups) {
            refusals.addAll(group);
        }
        return new Operation(method, path, body, refusals);
    }

    private static Body json(String valid, String invalid) {
        return new Body(JSON, valid, invalid);
    }
}
