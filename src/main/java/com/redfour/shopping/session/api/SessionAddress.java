package com.redfour.shopping.session.api;

import com.redfour.shopping.session.SessionId;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;

/**
 * Where a request to one session goes: the session's address and the request itself. What a read
 * takes; a write takes {@link SessionRequest}, which adds {@code If-Match} and {@code Idempotency-Key}
 * (a read ignores both, so it does not declare them).
 */
public class SessionAddress {

    @PathParam("store")
    String store;

    @PathParam("key")
    String key;

    @Context
    UriInfo uri;

    @Context
    HttpServerRequest http;

    /** The session's address; every path segment of the request is checked first. */
    SessionId id() {
        PathSegments.check(uri);
        return PathSegments.sessionId(store, key);
    }

    HttpServerRequest http() {
        return http;
    }
}
