package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ProblemMapper;
import com.redfour.shopping.http.Problem;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.store.StoreUnavailable;
import com.redfour.shopping.session.store.WriteRefused;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;

/** Session refusals and store failures as problems. */
public class SessionProblems {

    private static final Logger LOG = Logger.getLogger(SessionProblems.class);

    @ServerExceptionMapper
    public Response rejected(ChangeRejected e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ProblemMapper.respond(ProblemType.NOT_FOUND.problem(e.getMessage()));
            case CLOSED -> ProblemMapper.respond(ProblemType.SESSION_CLOSED.problem(e.getMessage()));
            case INVALID -> ProblemMapper.respond(new Problem(ProblemType.VALIDATION_FAILED.uri(), "Validation failed", 422,
                    e.field().map(f -> f + " " + e.getMessage()).orElse(e.getMessage()),
                    e.field().map(f -> List.of(new Problem.FieldError(f, e.getMessage()))).orElse(null), null));
        };
    }

    @ServerExceptionMapper
    public Response refused(WriteRefused e) {
        return switch (e.why()) {
            case NOT_FOUND -> ProblemMapper.respond(ProblemType.NOT_FOUND.problem("no such session"));
            case PRECONDITION_FAILED -> ProblemMapper.respond(new Problem(ProblemType.PRECONDITION_FAILED.uri(),
                    "Precondition failed", 412, e.getMessage(), null, e.currentVersion().orElse(null)));
            case VERSION_CONFLICT -> Response.fromResponse(ProblemMapper.respond(ProblemType.VERSION_CONFLICT.problem(e.getMessage())))
                    .header("Retry-After", ProblemMapper.RETRY_AFTER_SECONDS).build();
            case KEY_REUSED -> ProblemMapper.respond(ProblemType.IDEMPOTENCY_KEY_REUSED.problem(e.getMessage()));
        };
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailable e) {
        LOG.warnf("database unavailable: %s", e.getCause());
        return Response.fromResponse(ProblemMapper.respond(ProblemType.UNAVAILABLE.problem(
                "the session store is unavailable; try again shortly")))
                .header("Retry-After", ProblemMapper.RETRY_AFTER_SECONDS).build();
    }
}
