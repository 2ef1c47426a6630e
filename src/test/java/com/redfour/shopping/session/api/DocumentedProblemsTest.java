package com.redfour.shopping.session.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.http.Problem;
import com.redfour.shopping.session.api.ProblemCases.Operation;
import com.redfour.shopping.session.api.ProblemCases.Refusal;
import com.redfour.shopping.support.FrozenSessions;
import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static com.redfour.shopping.support.Api.KEY;
import static com.redfour.shopping.support.Api.STORE;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The served OpenAPI document held against the service for its refusals: each operation is driven
 * into each refusal it can answer ({@link ProblemCases}), through HTTP against the real database, and
 * the document must declare that status for that operation, with the Problem schema and a description
 * naming the problem's type; and the document declares no problem status that no case drives (429
 * and 503, which any operation can answer, are driven by {@code RateLimitTest} and
 * {@code DatabaseOutageIT}).
 */
@QuarkusTest
public class DocumentedProblemsTest {

    /** Any operation can answer these; driven elsewhere (one needs a low rate limit, the other a database that fails). */
    private static final Set<String> DRIVEN_ELSEWHERE = Set.of("429", "503");
    private static final String PROBLEM_REF = "#/components/schemas/Problem";
    private static final String PRIMED = "{\"entry\":\"primed\"}";

    @Inject
    TestClock clock;

    @Test
    void everyOperationOfTheDocumentHasItsCases() {
        assertThat(operations(document()))
                .as("the /v1 operations of the document and of ProblemCases.OPERATIONS (a new operation gets a line there)")
                .isEqualTo(ProblemCases.OPERATIONS.stream().map(Operation::name).collect(Collectors.toCollection(TreeSet::new)));
    }

    @Test
    void everyRefusalIsAnsweredAsTheDocumentDeclaresIt() throws Exception {
        JsonNode document = document();
        SoftAssertions softly = new SoftAssertions();
        try (FrozenSessions frozen = FrozenSessions.install()) {
            for (Operation operation : ProblemCases.OPERATIONS) {
                for (Refusal refusal : operation.refusals()) {
                    String name = operation.name() + " " + refusal;
                    Response response = call(operation, refusal, frozen);
                    String status = Integer.toString(response.statusCode());
                    softly.assertThat(response.statusCode()).as(name + ": " + response.asString()).isEqualTo(refusal.status());
                    softly.assertThat(response.contentType()).as(name + " content type").isEqualTo(Problem.MEDIA_TYPE);
                    softly.assertThat(response.jsonPath().getString("type")).as(name + " type").isEqualTo(refusal.type.uri());
                    JsonNode declared = responses(document, operation).path(status);
                    softly.assertThat(declared.isMissingNode()).as(name + ": answered " + status + ", which the document does not declare")
                            .isFalse();
                    softly.assertThat(declared.path("content").path(Problem.MEDIA_TYPE).path("schema").path("$ref").asText())
                            .as(name + ": the Problem schema of " + status).isEqualTo(PROBLEM_REF);
                    softly.assertThat(declared.path("description").asText()).as(name + ": the description of " + status)
                            .contains(ProblemResponses.slug(refusal.type));
                }
            }
        }
        softly.assertAll();
    }

    @Test
    void theDocumentDeclaresNoProblemThatNoCaseDrives() {
        JsonNode document = document();
        SoftAssertions softly = new SoftAssertions();
        for (Operation operation : ProblemCases.OPERATIONS) {
            Set<String> declared = new TreeSet<>();
            responses(document, operation).fieldNames().forEachRemaining(status -> {
                if (status.compareTo("400") >= 0) {
                    declared.add(status);
                }
            });
            softly.assertThat(declared).as(operation.name() + " declares what any operation can answer").containsAll(DRIVEN_ELSEWHERE);
            declared.removeAll(DRIVEN_ELSEWHERE);
            softly.assertThat(declared).as(operation.name() + ": the problem statuses declared and those its cases drive")
                    .isEqualTo(operation.refusals().stream().map(r -> Integer.toString(r.status()))
                            .collect(Collectors.toCollection(TreeSet::new)));
        }
        softly.assertAll();
    }

    // --- driving a refusal ---------------------------------------------------------------------

    /** The session a request goes to, the id of its line RKT-1, and a recovery link's token (null when the path has none). */
    private record Target(String key, String lineId, String token) {
    }

    private Response call(Operation operation, Refusal refusal, FrozenSessions frozen) throws Exception {
        // a refusal before the session is looked at needs none; a lost race needs a change that changes something
        Target session = refusal.needsSession() ? prepare(refusal == Refusal.VERSION_CONFLICT) : new Target(newKey(), "l1", null);
        boolean restoring = operation.path().contains("{token}");
        Target target = restoring ? new Target(session.key(), session.lineId(), recoveryLink(refusal)) : session;
        try {
            switch (refusal) {
                case CLOSED -> api().post(session(target.key()) + "/close").then().statusCode(200);
                case AMBIGUOUS -> api().body("{\"sku\":\"RKT-1\",\"name\":\"Falcon\",\"price\":1,\"attributes\":{\"engraving\":\"A\"}}")
                        .post(session(target.key()) + "/items").then().statusCode(200);
                case EXPIRED -> clock.advance(Duration.ofDays(31));
                case LINK_EXPIRED -> clock.advance(Duration.ofHours(2));
                case NOTHING_TO_RECOVER -> {
                    if (!restoring) {
                        api().delete(session(target.key()) + "/items").then().statusCode(200);
                    }
                }
                case TOO_MANY_LINKS -> {
                    for (int i = 0; i < 10; i++) {
                        api().post(session(target.key()) + "/recovery-links").then().statusCode(201);
                    }
                }
                case KEY_REUSED -> api().header("Idempotency-Key", "reused-" + target.key()).body(PRIMED)
                        .post(session(target.key()) + "/logs").then().statusCode(200);
                case VERSION_CONFLICT -> {
                    if (operation.findOrCreate()) {
                        clock.advance(Duration.ofDays(31)); // PUT writes a row only to create over an expired one
                    }
                    frozen.freeze(STORE, target.key());
                }
                default -> {
                }
            }
            return send(operation, refusal, target);
        } finally {
            clock.reset();
            frozen.thaw(STORE, target.key());
        }
    }

    private static Response send(Operation operation, Refusal refusal, Target target) {
        RequestSpecification request = given();
        if (refusal != Refusal.UNAUTHORIZED) {
            request.header("Authorization", "Bearer " + KEY);
        }
        if (refusal == Refusal.NOT_ACCEPTABLE) {
            request.accept("text/html");
        }
        if (refusal == Refusal.STALE_IF_MATCH) {
            request.header("If-Match", "\"999\"");
        }
        if (refusal == Refusal.KEY_REUSED) {
            request.header("Idempotency-Key", "reused-" + target.key());
        }
        if (operation.body() != null) {
            String body = switch (refusal) {
                case MALFORMED_JSON -> "{\"";
                case TOO_LARGE -> "{\"entry\":\"" + "x".repeat(17 * 1024) + "\"}";
                case INVALID_BODY -> operation.body().invalid();
                default -> operation.body().valid().replace("{key}", target.key());
            };
            request.contentType(refusal == Refusal.WRONG_MEDIA_TYPE ? "text/plain" : operation.body().contentType())
                    .body(body.getBytes(StandardCharsets.UTF_8));
        }
        String path = operation.path()
                .replace("{store}", switch (refusal) {
                    case MALFORMED_PATH -> "Not_A_Store";
                    case OTHER_STORE -> "rockets.example";
                    default -> STORE;
                })
                .replace("{key}", target.key()).replace("{sku}", "RKT-1").replace("{lineId}", target.lineId())
                .replace("{code}", "SPRING10").replace("{memberId}", "bob").replace("{id}", "problems-hook")
                .replace("{eventId}", "1").replace("{token}", target.token() == null ? "" : target.token());
        assertThat(path).as("every path parameter of " + operation.name() + " is given a value").doesNotContain("{");
        return request.request(operation.method(), path);
    }

    /** A session with a line (RKT-1); {@code full}: also a discount (SPRING10), a member (bob) and a note, so every change changes it. */
    private static Target prepare(boolean full) {
        String key = newKey();
        api().put(session(key)).then().statusCode(201);
        String lineId = api().body("{\"sku\":\"RKT-1\",\"name\":\"Falcon rocket\",\"price\":19.99,\"quantity\":2}")
                .post(session(key) + "/items").then().statusCode(200).extract().jsonPath().getString("items[0].lineId");
        if (!full) {
            return new Target(key, lineId, null);
        }
        api().body("{\"code\":\"SPRING10\",\"percentOff\":10}").post(session(key) + "/discounts").then().statusCode(200);
        api().body("{\"memberId\":\"bob\"}").put(session(key) + "/member").then().statusCode(200);
        api().body("{\"note\":\"first note\"}").put(session(key) + "/note").then().statusCode(200);
        return new Target(key, lineId, null);
    }

    /**
     * A recovery link's token, to another session with a line; used up for {@link Refusal#LINK_USED}, an
     * hour long for {@link Refusal#LINK_EXPIRED}, its cart emptied for {@link Refusal#NOTHING_TO_RECOVER}.
     */
    private static String recoveryLink(Refusal refusal) {
        String source = prepare(false).key();
        String token = api().body(refusal == Refusal.LINK_EXPIRED ? "{\"ttl\":\"PT1H\"}" : "{}")
                .post(session(source) + "/recovery-links").then().statusCode(201).extract().jsonPath().getString("token");
        if (refusal == Refusal.LINK_USED) {
            api().body("{\"into\":\"" + newKey() + "\"}").post("/v1/stores/" + STORE + "/recovery/" + token + "/restore")
                    .then().statusCode(200);
        }
        if (refusal == Refusal.NOTHING_TO_RECOVER) {
            api().delete(session(source) + "/items").then().statusCode(200);
        }
        return token;
    }

    // --- the document --------------------------------------------------------------------------

    private static JsonNode document() {
        String text = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("the served document is not JSON", e);
        }
    }

    private static Set<String> operations(JsonNode document) {
        Set<String> operations = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/v1/")) {
                path.getValue().fieldNames().forEachRemaining(method -> {
                    if (Set.of("get", "put", "post", "patch", "delete").contains(method)) {
                        operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey());
                    }
                });
            }
        }
        return operations;
    }

    private static JsonNode responses(JsonNode document, Operation operation) {
        return document.path("paths").path(operation.path()).path(operation.method().toLowerCase(Locale.ROOT)).path("responses");
    }
}
