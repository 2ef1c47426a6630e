package com.redfour.shopping.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Checks made before any work is done on a request: a body declared larger than the limit
 * ({@code quarkus.http.limits.max-body-size}) is a 413 problem before any of it is read; a body that
 * does not declare its length (chunked) is read here, up to the limit, and is a 413 problem as soon
 * as it passes it (left to the REST layer, it would be cut off mid-parse with a bare 413 and an
 * error written over it); an {@code Idempotency-Key} header that is present but empty is a 400 (the
 * REST layer would see it as absent and apply the change without exactly-once protection).
 */
@Singleton
public class RequestGate {

    /** The header that makes a change exactly-once (see the contract). */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final long limit;
    private final String tooLarge;
    private final String emptyKey;

    public RequestGate(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit, ObjectMapper json)
            throws JsonProcessingException {
        this.limit = limit.asLongValue();
        this.tooLarge = json.writeValueAsString(ProblemType.PAYLOAD_TOO_LARGE.problem(
                "request bodies are limited to " + (this.limit / 1024) + " KiB"));
        this.emptyKey = json.writeValueAsString(ProblemType.INVALID_REQUEST.problem(
                "Idempotency-Key must be 1 to 255 visible ASCII characters"));
    }

    void install(@Observes Router router) {
        // Vert.x's body handler fails the request with 413 once a body passes the limit; the REST
        // layer then reads the body it buffered instead of the connection.
        BodyHandler undeclared = BodyHandler.create(false).setBodyLimit(limit);
        router.route().order(Integer.MIN_VALUE).failureHandler(ctx -> {
            if (ctx.statusCode() == 413 && !ctx.response().headWritten()) {
                refuse(ctx, 413, tooLarge, true);
            } else {
                ctx.next();
            }
        });
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String idempotencyKey = ctx.request().getHeader(IDEMPOTENCY_KEY);
            if (length != null && declaredTooLarge(length)) {
                refuse(ctx, 413, tooLarge, true);
            } else if (idempotencyKey != null && idempotencyKey.isBlank()) {
                refuse(ctx, 400, emptyKey, false);
            } else if (length == null && ctx.request().headers().contains(HttpHeaders.TRANSFER_ENCODING)) {
                undeclared.handle(ctx);
            } else {
                ctx.next();
            }
        });
    }

    private static void refuse(io.vertx.ext.web.RoutingContext ctx, int status, String problem, boolean close) {
        var response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE);
        if (close) {
            // the unread body would otherwise have to be drained first
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(problem);
    }

    private boolean declaredTooLarge(String length) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer rejects a malformed Content-Length itself
        }
    }
}
