package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.http.RequestGate;
import jakarta.ws.rs.core.HttpHeaders;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The problems an operation can answer, derived from what it is rather than listed per endpoint: every
 * {@code /v1} operation can be malformed, unauthorized, not found, not acceptable, rate limited or
 * unavailable; one that takes a body can send bad JSON, too much, the wrong media type or invalid
 * fields; one that takes {@code Idempotency-Key} is a write through the session pipeline (its retries
 * can run out, its key can be reused); {@code If-Match} can fail; a session's address can have
 * expired; a change below it can find the session closed; a sku can name several lines. What only one
 * operation can answer it declares itself, with {@code @APIResponse(responseCode, description)}.
 */
final class ProblemResponses {

    static final String SESSION = "/v1/stores/{store}/sessions/{key}";

    /** What the rules look at: an operation as the document describes it. */
    record Shape(String path, PathItem.HttpMethod method, Set<String> bodyTypes, Set<String> headers,
            Set<String> pathParameters) {

        static Shape of(String path, PathItem.HttpMethod method, PathItem item, Operation operation) {
            Set<String> bodyTypes = new TreeSet<>();
            if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null
                    && operation.getRequestBody().getContent().getMediaTypes() != null) {
                bodyTypes.addAll(operation.getRequestBody().getContent().getMediaTypes().keySet());
            }
            Set<String> headers = new TreeSet<>();
            Set<String> pathParameters = new TreeSet<>();
            List<Parameter> parameters = new ArrayList<>();
            parameters.addAll(item.getParameters() == null ? List.of() : item.getParameters());
            parameters.addAll(operation.getParameters() == null ? List.of() : operation.getParameters());
            for (Parameter parameter : parameters) {
                if (parameter.getIn() == Parameter.In.HEADER) {
                    headers.add(parameter.getName());
                } else if (parameter.getIn() == Parameter.In.PATH) {
                    pathParameters.add(parameter.getName());
                }
            }
            return new Shape(path, method, bodyTypes, headers, pathParameters);
        }

        boolean takesBody() {
            return !bodyTypes.isEmpty();
        }

        /** A write through the session pipeline: the only place that keeps idempotency keys. */
        boolean write() {
            return headers.contains(RequestGate.IDEMPOTENCY_KEY);
        }

        /** The session's address or below it: the session must be there, or is told to have expired. */
        boolean onASession() {
            return path.equals(SESSION) || path.startsWith(SESSION + "/");
        }

        /** {@code PUT} of the session's address finds or creates it, also over an expired one. */
        boolean findOrCreate() {
            return method == PathItem.HttpMethod.PUT && path.equals(SESSION);
        }

        /** A change of the session itself (its lines, discounts, member, ...), which only an open session takes. */
        boolean change() {
            return write() && path.startsWith(SESSION + "/");
        }
    }

    /** A problem type {@code shape}s it applies to can answer, and why ({@code null}: the body types the operation takes). */
    private record Rule(Predicate<Shape> applies, ProblemType type, String reason) {
    }

    private static final Predicate<Shape> EVERY = shape -> true;

    /** In the order their reasons are listed when several share a status. */
    private static final List<Rule> RULES = List.of(
            new Rule(EVERY, ProblemType.INVALID_REQUEST, "a malformed path segment, query parameter or header"),
            new Rule(Shape::takesBody, ProblemType.INVALID_REQUEST, "malformed JSON, a JSON value of the wrong type, "
                    + "a key given twice, text holding U+0000, or no body where one is required"),
            new Rule(EVERY, ProblemType.UNAUTHORIZED, "missing or unknown API key (with WWW-Authenticate: Bearer)"),
            new Rule(EVERY, ProblemType.NOT_FOUND, "nothing there, or another store's"),
            new Rule(EVERY, ProblemType.NOT_ACCEPTABLE, "Accept names no media type this operation answers"),
            new Rule(Shape::change, ProblemType.SESSION_CLOSED, "the session is closed or merged and takes no more changes"),
            new Rule(shape -> shape.pathParameters().contains("sku"), ProblemType.AMBIGUOUS_LINE,
                    "several lines carry this sku: use /lines/{lineId}"),
            new Rule(Shape::write, ProblemType.VERSION_CONFLICT,
                    "concurrent changes kept winning until this write's retries ran out (with Retry-After)"),
            new Rule(shape -> shape.onASession() && !shape.findOrCreate(), ProblemType.SESSION_EXPIRED,
                    "the session expired and is not purged yet (PUT creates a new one)"),
            new Rule(shape -> shape.headers().contains(HttpHeaders.IF_MATCH), ProblemType.PRECONDITION_FAILED,
                    "If-Match names another version (the body carries currentVersion)"),
            new Rule(Shape::findOrCreate, ProblemType.PRECONDITION_FAILED, "with If-Match a PUT only finds: there is no session"),
            new Rule(Shape::takesBody, ProblemType.PAYLOAD_TOO_LARGE, "the body is over 16 KiB"),
            new Rule(Shape::takesBody, ProblemType.UNSUPPORTED_MEDIA_TYPE, null),
            new Rule(Shape::takesBody, ProblemType.VALIDATION_FAILED,
                    "a field breaks its rule or is not a known field (with errors per field)"),
            new Rule(Shape::write, ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "this Idempotency-Key came with a different request on this session"),
            new Rule(EVERY, ProblemType.RATE_LIMITED, "this API key is past its requests per second (with Retry-After)"),
            new Rule(EVERY, ProblemType.UNAVAILABLE,
                    "database unreachable or this replica shutting down (with Retry-After)"));

    private ProblemResponses() {
    }

    /**
     * What {@code shape} can answer: each status (in ascending order) with its problem types and why,
     * as {@code "type: why"}, in the order of the rules.
     */
    static Map<String, List<String>> of(Shape shape) {
        Map<Integer, List<String>> byStatus = new TreeMap<>();
        for (Rule rule : RULES) {
            if (rule.applies().test(shape)) {
                String reason = rule.reason() != null ? rule.reason() : "the body is not " + String.join(" or ", shape.bodyTypes());
                byStatus.computeIfAbsent(rule.type().status(), status -> new ArrayList<>()).add(slug(rule.type()) + ": " + reason);
            }
        }
        Map<String, List<String>> answers = new LinkedHashMap<>();
        byStatus.forEach((status, reasons) -> answers.put(Integer.toString(status), List.copyOf(reasons)));
        return answers;
    }

    /** The type as a description names it: {@code version-conflict} for {@code /problems/version-conflict}. */
    static String slug(ProblemType type) {
        return type.uri().substring(type.uri().lastIndexOf('/') + 1);
    }
}
