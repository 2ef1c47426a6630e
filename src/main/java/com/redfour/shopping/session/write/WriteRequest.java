package com.redfour.shopping.session.write;

import com.redfour.shopping.session.SessionId;

/**
 * A write as a request brought it: to which session, what, at which version ({@code If-Match}) and
 * under which {@code Idempotency-Key} ({@code null} when none).
 */
public record WriteRequest(SessionId id, Write write, Precondition precondition, Idempotency idempotency) {
}
