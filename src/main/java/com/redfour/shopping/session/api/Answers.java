package com.redfour.shopping.session.api;

import com.redfour.shopping.auth.StoreAccess;
import com.redfour.shopping.http.Problem;
import com.redfour.shopping.http.ProblemMapper;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.Lifetime;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Warning;
import com.redfour.shopping.session.write.Outcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;

import java.net.URI;
import java.util.List;

/**
 * The one place a store {@link Outcome} becomes HTTP: statuses, {@code ETag}, {@code Location},
 * {@code Idempotent-Replayed}, and the problem each refusal is.
 */
@ApplicationScoped
class Answers {

    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final Lifetime lifetime;

    Answers(Lifetime lifetime) {
        this.lifetime = lifetime;
    }

    /** The response to an outcome, a refusal's included: the problem it is. */
    RestResponse<SessionView> respond(Outcome outcome) {
        if (outcome instanceof Outcome.Refused refused) {
            return problem(refused);
        }
        if (outcome instanceof Outcome.Created created) {
            return created(created.session()).build();
        }
        if (outcome instanceof Outcome.Found found) {
            return ok(found.session()).build();
        }
        if (outcome instanceof Outcome.Changed changed) {
            return withBody(RestResponse.ResponseBuilder.ok(), changed.session(), changed.warnings()).build();
        }
        if (outcome instanceof Outcome.Deleted) {
            return RestResponse.ResponseBuilder.<SessionView>create(RestResponse.Status.NO_CONTENT).build();
        }
        Outcome.Replayed replayed = (Outcome.Replayed) outcome;
        RestResponse.ResponseBuilder<SessionView> response = switch (replayed.first()) {
            case CREATED -> created(replayed.now());
            case CHANGED -> ok(replayed.now());
            case DELETED -> RestResponse.ResponseBuilder.create(RestResponse.Status.NO_CONTENT);
        };
        return response.header(IDEMPOTENT_REPLAYED, "true").build();
    }

    /**
     * The problem a refusal is, as the answer of an endpoint whose success is a {@code T} (the problem
     * body stands in for it: a response's entity is not typed at run time).
     */
    @SuppressWarnings("unchecked")
    static <T> RestResponse<T> problem(Outcome.Refused refused) {
        Response problem = problemResponse(refused);
        RestResponse.ResponseBuilder<T> answer = RestResponse.ResponseBuilder.create(problem.getStatus());
        problem.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                values.forEach(value -> answer.header(name, value));
            }
        });
        return answer.type(problem.getMediaType()).entity((T) problem.getEntity()).build();
    }

    private static Response problemResponse(Outcome.Refused refused) {
        if (refused instanceof Outcome.NotFound) {
            return ProblemMapper.respond(ProblemType.NOT_FOUND.problem(StoreAccess.NOT_FOUND));
        }
        if (refused instanceof Outcome.Expired) {
            return ProblemMapper.respond(ProblemType.SESSION_EXPIRED.problem(
                    "the session expired; PUT creates a new one under the same key"));
        }
        if (refused instanceof Outcome.PreconditionFailed failed) {
            Long current = failed.currentVersion();
            return ProblemMapper.respond(new Problem(ProblemType.PRECONDITION_FAILED.uri(), "Precondition failed", 412,
                    current == null ? "the session does not exist" : "the session is at version " + current,
                    null, current));
        }
        if (refused instanceof Outcome.VersionConflict) {
            return Response.fromResponse(ProblemMapper.respond(ProblemType.VERSION_CONFLICT.problem(
                    "the session kept changing under this request; try again")))
                    .header("Retry-After", ProblemMapper.RETRY_AFTER_SECONDS).build();
        }
        if (refused instanceof Outcome.KeyReused) {
            return ProblemMapper.respond(ProblemType.IDEMPOTENCY_KEY_REUSED.problem(
                    "this Idempotency-Key was already used for a different request on this session"));
        }
        if (refused instanceof Outcome.LinkRefused link) {
            return ProblemMapper.respond(switch (link.why()) {
                case UNKNOWN -> ProblemType.NOT_FOUND.problem(StoreAccess.NOT_FOUND);
                case USED -> ProblemType.RECOVERY_LINK_USED.problem("this recovery link was used, or its cart was checked out or merged");
                case EXPIRED -> ProblemType.RECOVERY_LINK_EXPIRED.problem("this recovery link expired, or so did its session");
                case NOTHING_TO_RECOVER -> ProblemType.NOTHING_TO_RECOVER.problem("the recovered session holds no line");
            });
        }
        return rejected(((Outcome.Rejected) refused).reason());
    }

    private static Response rejected(ChangeRejected e) {
        return switch (e.reason()) {
            case NOT_FOUND -> ProblemMapper.respond(ProblemType.NOT_FOUND.problem(e.getMessage()));
            case CLOSED -> ProblemMapper.respond(ProblemType.SESSION_CLOSED.problem(e.getMessage()));
            case AMBIGUOUS -> ProblemMapper.respond(ProblemType.AMBIGUOUS_LINE.problem(e.getMessage()));
            case INVALID -> ProblemMapper.respond(new Problem(ProblemType.VALIDATION_FAILED.uri(), "Validation failed", 422,
                    e.field().map(f -> f + " " + e.getMessage()).orElse(e.getMessage()),
                    e.field().map(f -> List.of(new Problem.FieldError(f, e.getMessage()))).orElse(null), null));
        };
    }

    private RestResponse.ResponseBuilder<SessionView> ok(Session session) {
        return withBody(RestResponse.ResponseBuilder.ok(), session);
    }

    private RestResponse.ResponseBuilder<SessionView> created(Session session) {
        return withBody(RestResponse.ResponseBuilder.<SessionView>create(RestResponse.Status.CREATED), session)
                .location(URI.create("/v1/stores/" + session.id().store() + "/sessions/" + session.id().key()));
    }

    private RestResponse.ResponseBuilder<SessionView> withBody(RestResponse.ResponseBuilder<SessionView> response,
            Session session) {
        return withBody(response, session, List.of());
    }

    private RestResponse.ResponseBuilder<SessionView> withBody(RestResponse.ResponseBuilder<SessionView> response,
            Session session, List<Warning> warnings) {
        return response.entity(SessionView.of(session, lifetime.expiresAt(session), warnings))
                .header(HttpHeaders.ETAG, RequestHeaders.etag(session.version()));
    }
}
