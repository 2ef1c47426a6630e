package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ProblemMapper;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.session.store.StoreUnavailable;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refused writes and store failures as problems. */
public class SessionProblems {

    private static final Logger LOG = Logger.getLogger(SessionProblems.class);

    @ServerExceptionMapper
    public Response refused(Answers.Refusal e) {
        return Answers.problem(e.refused());
    }

    @ServerExceptionMapper
    public Response unavailable(StoreUnavailable e) {
        LOG.warnf("database unavailable: %s", e.getCause());
        return Response.fromResponse(ProblemMapper.respond(ProblemType.UNAVAILABLE.problem(
                "the session store is unavailable; try again shortly")))
                .header("Retry-After", ProblemMapper.RETRY_AFTER_SECONDS).build();
    }
}
