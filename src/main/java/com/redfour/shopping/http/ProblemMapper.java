package com.redfour.shopping.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.redfour.shopping.db.StoreUnavailable;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Every error becomes an {@code application/problem+json} response here, in one place. Nothing of
 * an exception but our own messages reaches a client: no class names, stack traces or SQL.
 */
public class ProblemMapper {

    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);
    public static final String RETRY_AFTER_SECONDS = "1";

    @ServerExceptionMapper
    public Response apiProblem(ApiProblem e) {
        return respond(new Problem(e.type().uri(), titleOf(e.type()), e.type().status(), e.getMessage(), e.errors(), null));
    }

    @ServerExceptionMapper({AuthenticationFailedException.class, UnauthorizedException.class})
    public Response unauthorized() {
        return Response.fromResponse(respond(ProblemType.UNAUTHORIZED.problem(
                "a valid API key is required: Authorization: Bearer <key>")))
                .header("WWW-Authenticate", "Bearer").build();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v), v.getMessage()))
                .sorted(Comparator.comparing(Problem.FieldError::field).thenComparing(Problem.FieldError::message))
                .toList();
        String detail = errors.stream().map(err -> err.field() + " " + err.message()).collect(Collectors.joining("; "));
        return respond(new Problem(ProblemType.VALIDATION_FAILED.uri(), "Validation failed", 422, detail, errors, null));
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        String field = e.getPropertyName();
        return respond(new Problem(ProblemType.VALIDATION_FAILED.uri(), "Validation failed", 422,
                "unknown field " + field, List.of(new Problem.FieldError(field, "is not a known field")), null));
    }

    @ServerExceptionMapper
    public Response unreadableOptional(OptionalBody.UnreadableBody e) {
        return unreadable(e.jackson());
    }

    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response malformed(StreamReadException e) {
        return unreadable(e);
    }

    @ServerExceptionMapper
    public Response unreadable(JacksonException e) {
        if (e instanceof UnrecognizedPropertyException unknown) {
            return unknownField(unknown);
        }
        String where = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String detail = where.isEmpty()
                ? "the body is not valid JSON of the expected shape"
                : "field " + where + " has the wrong type or is not valid JSON";
        return respond(ProblemType.INVALID_REQUEST.problem(detail));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        Throwable cause = e.getCause();
        if (cause instanceof JacksonException jackson) {
            return unreadable(jackson);
        }
        int status = e.getResponse().getStatus();
        ProblemType type = switch (status) {
            case 400 -> ProblemType.INVALID_REQUEST;
            case 401 -> ProblemType.UNAUTHORIZED;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            default -> status >= 500 ? ProblemType.INTERNAL : ProblemType.INVALID_REQUEST;
        };
        Response response = respond(type.problem(detailOf(e, type)));
        if (e instanceof NotAllowedException && e.getResponse().getHeaderString("Allow") != null) {
            return Response.fromResponse(response).header("Allow", e.getResponse().getHeaderString("Allow")).build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response unavailable(Unavailable e) {
        LOG.warnf("unavailable: %s", e.getMessage());
        return retryLater(e.getMessage());
    }

    /** The database failed (any store's: sessions, events, webhooks): the one place that answers it. */
    @ServerExceptionMapper
    public Response storeUnavailable(StoreUnavailable e) {
        LOG.warnf("database unavailable: %s", e.getCause());
        return retryLater("the session store is unavailable; try again shortly");
    }

    private static Response retryLater(String detail) {
        return Response.fromResponse(respond(ProblemType.UNAVAILABLE.problem(detail)))
                .header("Retry-After", RETRY_AFTER_SECONDS).build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        LOG.error("unexpected failure", e);
        return respond(ProblemType.INTERNAL.problem("an unexpected error occurred"));
    }

    private static String detailOf(WebApplicationException e, ProblemType type) {
        return switch (type) {
            case NOT_FOUND -> "no such resource";
            case METHOD_NOT_ALLOWED -> "this method is not allowed on this resource";
            case NOT_ACCEPTABLE -> "this resource answers application/json only";
            case UNSUPPORTED_MEDIA_TYPE -> "request bodies must be application/json";
            case PAYLOAD_TOO_LARGE -> "request bodies are limited to 16 KiB";
            default -> type == ProblemType.INTERNAL ? "an unexpected error occurred" : "the request is malformed";
        };
    }

    private static String titleOf(ProblemType type) {
        return type.problem(null).title();
    }

    private static String field(ConstraintViolation<?> violation) {
        // Property paths look like "selectItem.body.price": the last node is the body's field.
        String path = violation.getPropertyPath().toString();
        return path.substring(path.lastIndexOf('.') + 1);
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    public static Response respond(Problem problem) {
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
