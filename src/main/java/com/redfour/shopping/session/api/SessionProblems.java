package com.redfour.shopping.session.api;

import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Refused writes as problems (a database failure is answered by {@code http/ProblemMapper}, as for every endpoint). */
public class SessionProblems {

    @ServerExceptionMapper
    public Response refused(Answers.Refusal e) {
        return Answers.problem(e.refused());
    }
}
