package com.redfour.shopping.session.api;

import com.redfour.shopping.http.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filter on a document made by hand, without Quarkus: how an operation it has never seen is
 * described, from what it is and from the problem responses it declares itself (as a new endpoint
 * would, with {@code @APIResponse(responseCode = "409", description = "nothing-to-recover: ...")}).
 */
class ApiDocumentFilterTest {

    private static final String LINKS = ProblemResponses.SESSION + "/recovery-links";

    @Test
    void anOperationsOwnProblemsKeepTheirWordsAndGainTheSchemaAndWhatItsShapeAdds() {
        Operation create = operation("201")
                .addParameter(header("Idempotency-Key"))
                .requestBody(OASFactory.createRequestBody().content(OASFactory.createContent()
                        .addMediaType("application/json", OASFactory.createMediaType())));
        create.getResponses().addAPIResponse("409", OASFactory.createAPIResponse()
                .description("nothing-to-recover: the session is not open or has no lines; too-many-links: 10 unexpired links"));
        OpenAPI api = filtered(LINKS, PathItem.HttpMethod.POST, create);

        var responses = api.getPaths().getPathItem(LINKS).getPOST().getResponses().getAPIResponses();
        assertThat(responses.keySet()).containsExactly("201", "400", "401", "404", "406", "409", "410", "413", "415", "422",
                "429", "503");
        APIResponse conflict = responses.get("409");
        assertThat(conflict.getDescription()).startsWith("nothing-to-recover: the session is not open or has no lines; "
                + "too-many-links: 10 unexpired links; session-closed: ").contains("; version-conflict: ");
        assertThat(conflict.getContent().getMediaType(Problem.MEDIA_TYPE).getSchema().getRef())
                .isEqualTo("#/components/schemas/Problem");
        assertThat(conflict.getHeaders()).containsKey("Retry-After");
        assertThat(responses.get("422").getDescription()).contains("validation-failed: ").contains("idempotency-key-reused: ");
        assertThat(responses.get("415").getDescription()).isEqualTo("unsupported-media-type: the body is not application/json");
    }

    @Test
    void aReadDeclaresNoProblemOfABodyOrAWrite() {
        OpenAPI api = filtered("/v1/stores/{store}/recovery/{token}", PathItem.HttpMethod.GET, operation("200"));

        var responses = api.getPaths().getPathItem("/v1/stores/{store}/recovery/{token}").getGET().getResponses();
        assertThat(responses.getAPIResponses().keySet()).containsExactly("200", "400", "401", "404", "406", "429", "503");
        assertThat(responses.getAPIResponse("400").getDescription())
                .isEqualTo("invalid-request: a malformed path segment, query parameter or header");
        assertThat(responses.getAPIResponse("401").getHeaders()).containsKey("WWW-Authenticate");
    }

    @Test
    void aDescriptionThatNamesATypeReplacesTheDerivedWordsForIt() {
        Operation read = operation("200");
        read.getResponses().addAPIResponse("410", OASFactory.createAPIResponse()
                .description("session-expired: the session expired; links of an expired session read as expired"));
        OpenAPI api = filtered(LINKS, PathItem.HttpMethod.GET, read);

        assertThat(api.getPaths().getPathItem(LINKS).getGET().getResponses().getAPIResponse("410").getDescription())
                .isEqualTo("session-expired: the session expired; links of an expired session read as expired");
    }

    private static OpenAPI filtered(String path, PathItem.HttpMethod method, Operation operation) {
        PathItem item = OASFactory.createPathItem();
        item.setOperation(method, operation);
        OpenAPI api = OASFactory.createOpenAPI().paths(OASFactory.createPaths().addPathItem(path, item));
        new ApiDocumentFilter().filterOpenAPI(api);
        return api;
    }

    private static Operation operation(String success) {
        return OASFactory.createOperation().parameters(new java.util.ArrayList<>(List.of()))
                .responses(OASFactory.createAPIResponses().addAPIResponse(success, OASFactory.createAPIResponse().description("ok")));
    }

    private static Parameter header(String name) {
        return OASFactory.createParameter().name(name).in(Parameter.In.HEADER);
    }
}
