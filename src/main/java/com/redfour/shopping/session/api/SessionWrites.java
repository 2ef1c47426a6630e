package com.redfour.shopping.session.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.write.Sessions;
import com.redfour.shopping.session.write.Write;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The one way in for the session endpoints: a {@link Write} with the request it came with goes to the
 * store, and the outcome comes back as {@link Answers} maps it.
 */
@ApplicationScoped
class SessionWrites {

    private final Sessions sessions;
    private final Answers answers;
    private final ObjectMapper json;

    SessionWrites(Sessions sessions, Answers answers, ObjectMapper json) {
        this.sessions = sessions;
        this.answers = answers;
        this.json = json;
    }

    /** A change to the session as it is; {@code body} is the parsed request body (null when none). */
    Uni<RestResponse<SessionView>> change(SessionRequest at, Change change, Object body) {
        return write(at, new Write.Apply(change), body);
    }

    /** Any write to the session {@code at} addresses. */
    Uni<RestResponse<SessionView>> write(SessionRequest at, Write write, Object body) {
        return sessions.write(at.write(at.id(), write, body, json)).map(answers::respond);
    }
}
