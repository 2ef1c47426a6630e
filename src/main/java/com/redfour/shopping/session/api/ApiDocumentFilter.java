package com.redfour.shopping.session.api;

import com.redfour.shopping.auth.RateLimits;
import com.redfour.shopping.http.Problem;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.RecoveryToken;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the served OpenAPI document says of every operation by mechanism rather than per endpoint, so
 * that an endpoint added later is described as truly as the others: each path parameter's pattern
 * (by its name), every problem response the operation can answer ({@link ProblemResponses}, each with
 * the Problem schema), the rate-limit headers on every {@code /v1} response, {@code Retry-After} and
 * {@code WWW-Authenticate} where the contract sends them, and the problem types the {@code type} of a
 * problem can be.
 */
public class ApiDocumentFilter implements OASFilter {

    /** The pattern of every path parameter, by name: the same rules {@link PathSegments} checks. */
    static final Map<String, String> PATH_PATTERNS = Map.of(
            "store", SessionId.STORE_PATTERN,
            "key", SessionId.KEY_PATTERN,
            "sku", Bodies.SKU,
            "code", Bodies.CODE,
            "memberId", Bodies.MEMBER_ID,
            "token", RecoveryToken.PATTERN);

    private static final String RETRY_AFTER = "Retry-After";
    private static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                describe(path, item);
            }
        });
        if (api.getComponents() != null && api.getComponents().getSchemas() != null) {
            api.getComponents().getSchemas().values().forEach(ApiDocumentFilter::decimals);
            Schema problem = api.getComponents().getSchemas().get("Problem");
            if (problem != null) {
                describeProblem(problem);
            }
        }
    }

    private void describe(String path, PathItem item) {
        patterns(item.getParameters());
        item.getOperations().forEach((method, operation) -> {
            patterns(operation.getParameters());
            if (operation.getResponses() == null) {
                return;
            }
            problems(operation.getResponses(), ProblemResponses.of(ProblemResponses.Shape.of(path, method, item, operation)));
            if (operation.getResponses().getAPIResponse("204") != null) {
                // the session document's annotation documents 200 for every operation; one that answers 204 has no body to give
                operation.getResponses().removeAPIResponse("200");
            }
            operation.getResponses().getAPIResponses().forEach((status, response) -> headers(status, response));
        });
    }

    /**
     * Adds the problems an operation can answer to those it declares itself. A problem response it
     * declares keeps its description, and gains the derived types that description does not name; every
     * problem response gets the Problem schema. Statuses in ascending order, so the document is the same every time.
     */
    private static void problems(APIResponses responses, Map<String, List<String>> derived) {
        Map<String, APIResponse> all = new TreeMap<>(responses.getAPIResponses());
        derived.forEach((status, reasons) -> all.putIfAbsent(status, OASFactory.createAPIResponse()));
        all.forEach((status, response) -> {
            if (!status.matches("[45][0-9][0-9]")) {
                return;
            }
            String declared = response.getDescription() == null ? "" : response.getDescription();
            StringBuilder description = new StringBuilder(declared);
            for (String reason : derived.getOrDefault(status, List.of())) {
                if (!declared.contains(reason.substring(0, reason.indexOf(':')))) {
                    description.append(description.isEmpty() ? "" : "; ").append(reason);
                }
            }
            response.description(description.toString());
            if (response.getContent() == null) {
                response.content(OASFactory.createContent());
            }
            if (response.getContent().getMediaType(Problem.MEDIA_TYPE) == null) {
                response.getContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF)));
            }
        });
        responses.setAPIResponses(all);
    }

    private static void patterns(List<Parameter> parameters) {
        if (parameters == null) {
            return;
        }
        for (Parameter parameter : parameters) {
            String pattern = PATH_PATTERNS.get(parameter.getName());
            if (parameter.getIn() == Parameter.In.PATH && pattern != null) {
                Schema schema = parameter.getSchema() == null ? string() : parameter.getSchema();
                parameter.schema(schema.pattern(pattern));
            }
        }
    }

    private static void headers(String status, APIResponse response) {
        header(response, RateLimits.POLICY_HEADER, "The rate-limit policy of the API key: \"default\";q=<burst>;w=<seconds> "
                + "(draft-ietf-httpapi-ratelimit-headers-11)");
        header(response, RateLimits.STATE_HEADER, "What is left of it: \"default\";r=<requests left>;t=<seconds until the quota is whole again>");
        if (status.equals("429") || status.equals("503")
                || (status.equals("409") && response.getDescription().contains(ProblemResponses.slug(ProblemType.VERSION_CONFLICT)))) {
            header(response, RETRY_AFTER, "Seconds to wait before trying again");
        }
        if (status.equals("401")) {
            header(response, "WWW-Authenticate", "Bearer");
        }
    }

    private static void header(APIResponse response, String name, String description) {
        if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
            response.addHeader(name, OASFactory.createHeader().description(description).schema(string()));
        }
    }

    private static void describeProblem(Schema problem) {
        Schema type = problem.getProperties() == null ? null : problem.getProperties().get("type");
        if (type != null) {
            type.enumeration(Arrays.stream(ProblemType.values()).map(t -> (Object) t.uri()).toList());
        }
        problem.required(List.of("type", "title", "status"));
    }

    /**
     * {@code @Digits(fraction = 2)} comes out as {@code multipleOf: 0.01}, which validators check in
     * binary floating point, so that 19.99 "is not a multiple of 0.01" (Stoplight Prism rejected the
     * README's own request): the rule is stated in words instead, and the service checks it.
     */
    private static void decimals(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        for (Schema property : schema.getProperties().values()) {
            if (property.getAnyOf() != null && property.getType() != null
                    && property.getAnyOf().stream().anyMatch(ApiDocumentFilter::isNull)) {
                // a nullable object (say recoveredFrom) is "anyOf: [the object, null]"; a "type: object"
                // beside it, which the generator adds, would refuse the null
                property.setType(null);
            }
            if (property.getMultipleOf() != null) {
                int places = Math.max(0, property.getMultipleOf().stripTrailingZeros().scale());
                String rule = "at most " + places + " decimal places";
                property.description(property.getDescription() == null ? rule : property.getDescription() + "; " + rule);
                property.multipleOf(null);
            }
        }
    }

    private static boolean isNull(Schema schema) {
        return schema.getType() != null && schema.getType().equals(List.of(Schema.SchemaType.NULL));
    }

    private static Schema string() {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING);
    }
}
