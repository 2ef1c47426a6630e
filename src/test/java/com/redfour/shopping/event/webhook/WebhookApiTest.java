package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** The subscription endpoints of the contract: statuses and bodies, exactly. */
@QuarkusTest
class WebhookApiTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String WEBHOOKS = "/v1/stores/demo/webhooks";
    private static final String URL = "http://127.0.0.1:9/hooks/orders";

    @AfterEach
    void removeSubscriptions() {
        for (String id : api().get(WEBHOOKS).jsonPath().getList("webhooks.id", String.class)) {
            api().delete(WEBHOOKS + "/" + id);
        }
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType(PROBLEM)
                .body("type", equalTo("/problems/" + type))
                .body("status", equalTo(status))
                .body(not(containsString("Exception")));
    }

    @Test
    void createAnswers201WithTheSecretOnce() {
        ExtractableResponse<Response> created = api()
                .body(Map.of("url", URL, "types", List.of("*"), "description", "order sync"))
                .when().put(WEBHOOKS + "/orders").then()
                .statusCode(201)
                .contentType("application/json")
                .header("Location", endsWith(WEBHOOKS + "/orders"))
                .body("id", equalTo("orders"))
                .body("url", equalTo(URL))
                .body("types", contains("*"))
                .body("description", equalTo("order sync"))
                .body("secret", matchesPattern("^whsec_[A-Za-z0-9+/]{43}=$"))
                .body("createdAt", matchesPattern("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$"))
                .body("updatedAt", equalTo(api().get(WEBHOOKS + "/orders").jsonPath().getString("createdAt")))
                .body("delivery.pending", equalTo(0))
                .body("delivery.failed", equalTo(0))
                .body("delivery.lastSuccessAt", nullValue())
                .body("delivery.lastFailure", nullValue())
                .extract();
        String secret = created.jsonPath().getString("secret");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);

        api().when().get(WEBHOOKS + "/orders").then()
                .statusCode(200)
                .body("id", equalTo("orders"))
                .body("url", equalTo(URL))
                .body("types", contains("*"))
                .body("$", not(hasKey("secret")));
    }

    @Test
    void replacingAnswers200AndKeepsTheSecretUnshown() {
        api().body(Map.of("url", URL)).put(WEBHOOKS + "/crm").then().statusCode(201).body("types", contains("*"))
                .body("description", nullValue());
        String createdAt = api().get(WEBHOOKS + "/crm").jsonPath().getString("createdAt");

        api().body(Map.of("url", URL + "/v2", "types", List.of("item.selected", "session.closed", "item.selected"),
                        "description", "CRM"))
                .when().put(WEBHOOKS + "/crm").then()
                .statusCode(200)
                .body("$", not(hasKey("secret")))
                .body("url", equalTo(URL + "/v2"))
                .body("types", contains("item.selected", "session.closed"))
                .body("description", equalTo("CRM"))
                .body("createdAt", equalTo(createdAt));
    }

    @Test
    void listShowsEverySubscriptionWithoutSecrets() {
        api().body(Map.of("url", URL)).put(WEBHOOKS + "/b-hook").then().statusCode(201);
        api().body(Map.of("url", URL, "types", List.of("session.abandoned"))).put(WEBHOOKS + "/a-hook").then().statusCode(201);

        api().when().get(WEBHOOKS).then()
                .statusCode(200)
                .body("webhooks.id", contains("a-hook", "b-hook"))
                .body("webhooks[0].types", contains("session.abandoned"))
                .body("webhooks[0]", not(hasKey("secret")))
                .body("webhooks[1].delivery.pending", equalTo(0));
    }

    @Test
    void deleteAnswers204ThenTheSubscriptionIsGone() {
        api().body(Map.of("url", URL)).put(WEBHOOKS + "/gone").then().statusCode(201);

        api().when().delete(WEBHOOKS + "/gone").then().statusCode(204).body(equalTo(""));
        problem(api().when().get(WEBHOOKS + "/gone").then(), 404, "not-found").body("detail", equalTo("no such webhook"));
        problem(api().when().delete(WEBHOOKS + "/gone").then(), 404, "not-found");
        problem(api().when().get(WEBHOOKS + "/gone/deliveries").then(), 404, "not-found");
        api().when().get(WEBHOOKS).then().statusCode(200).body("webhooks", empty());
    }

    @Test
    void invalidSubscriptionsAre422WithTheField() {
        problem(api().body(Map.of("types", List.of("*"))).put(WEBHOOKS + "/x").then(), 422, "validation-failed")
                .body("errors.field", contains("url"));
        problem(api().body(Map.of("url", "ftp://example.com/x")).put(WEBHOOKS + "/x").then(), 422, "validation-failed")
                .body("errors.field", contains("url"))
                .body("errors[0].message", equalTo("must be an absolute http or https URL"));
        problem(api().body(Map.of("url", "/relative")).put(WEBHOOKS + "/x").then(), 422, "validation-failed")
                .body("errors.field", contains("url"));
        problem(api().body(Map.of("url", "https://user:pw@example.com/")).put(WEBHOOKS + "/x").then(), 422,
                "validation-failed").body("errors[0].message", equalTo("must not carry credentials"));
        problem(api().body(Map.of("url", URL, "types", List.of("item.selected", "item.bought"))).put(WEBHOOKS + "/x").then(),
                422, "validation-failed").body("errors.field", contains("types[1]"));
        problem(api().body(Map.of("url", URL, "types", List.of("*", "item.selected"))).put(WEBHOOKS + "/x").then(),
                422, "validation-failed").body("errors.field", contains("types[0]"));
        problem(api().body(Map.of("url", URL, "types", List.of())).put(WEBHOOKS + "/x").then(), 422, "validation-failed")
                .body("errors.field", contains("types"));
        problem(api().body(Map.of("url", URL, "secret", "whsec_mine")).put(WEBHOOKS + "/x").then(), 422, "validation-failed")
                .body("errors.field", contains("secret"));
        problem(api().body(Map.of("url", URL, "description", "d".repeat(501))).put(WEBHOOKS + "/x").then(), 422,
                "validation-failed").body("errors.field", contains("description"));
        problem(api().body(Map.of("url", "http://no-such-host.invalid/x")).put(WEBHOOKS + "/x").then(), 422,
                "validation-failed").body("errors[0].message", containsString("could not be resolved"));
        api().when().get(WEBHOOKS).then().body("webhooks", empty());
    }

    @Test
    void malformedRequestsAre400() {
        problem(api().body(Map.of("url", URL)).put(WEBHOOKS + "/Upper").then(), 400, "invalid-request");
        problem(api().body(Map.of("url", URL)).put(WEBHOOKS + "/" + "a".repeat(65)).then(), 400, "invalid-request");
        problem(api().put(WEBHOOKS + "/x").then(), 400, "invalid-request");
        problem(api().body("{\"url\": 5}").put(WEBHOOKS + "/x").then(), 400, "invalid-request");
        problem(api().body("{\"url\": ").put(WEBHOOKS + "/x").then(), 400, "invalid-request");
        api().body(Map.of("url", URL)).put(WEBHOOKS + "/x").then().statusCode(201);
        problem(api().get(WEBHOOKS + "/x/deliveries?status=delivered").then(), 400, "invalid-request");
        problem(api().get(WEBHOOKS + "/x/deliveries?limit=0").then(), 400, "invalid-request");
        problem(api().post(WEBHOOKS + "/x/deliveries/12a/retry").then(), 400, "invalid-request");
    }

    @Test
    void deliveriesOfANewSubscriptionAreEmptyAndRetryOfAnUnknownEventIs404() {
        api().body(Map.of("url", URL)).put(WEBHOOKS + "/quiet").then().statusCode(201);

        api().when().get(WEBHOOKS + "/quiet/deliveries?status=failed").then()
                .statusCode(200)
                .body("deliveries", empty())
                .body("next", nullValue());
        problem(api().when().post(WEBHOOKS + "/quiet/deliveries/00000000000000000042/retry").then(), 404, "not-found")
                .body("detail", equalTo("no such delivery"));
    }

    @Test
    void anotherStoresKeySeesNothingAndNoKeyIs401() {
        api().body(Map.of("url", URL)).put(WEBHOOKS + "/mine").then().statusCode(201);
        var rocket = given().header("Authorization", "Bearer rocket-key").contentType("application/json");

        problem(rocket.get(WEBHOOKS + "/mine").then(), 404, "not-found").body("detail", equalTo("no such webhook"));
        problem(given().header("Authorization", "Bearer rocket-key").get(WEBHOOKS).then(), 404, "not-found");
        problem(given().header("Authorization", "Bearer rocket-key").contentType("application/json")
                .body(Map.of("url", URL)).put(WEBHOOKS + "/mine").then(), 404, "not-found");
        problem(given().header("Authorization", "Bearer rocket-key").delete(WEBHOOKS + "/mine").then(), 404, "not-found");
        given().header("Authorization", "Bearer rocket-key").get("/v1/stores/rockets.example/webhooks").then()
                .statusCode(200).body("webhooks", empty());
        problem(given().get(WEBHOOKS).then(), 401, "unauthorized").header("WWW-Authenticate", "Bearer");
        api().get(WEBHOOKS).then().body("webhooks.id", hasItem("mine"));
    }

    @Test
    void everyWebhookEndpointIsInTheOpenApiDocument() {
        var doc = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().jsonPath();
        Map<String, List<String>> expected = Map.of(
                WEBHOOKS.replace("demo", "{store}"), List.of("get"),
                WEBHOOKS.replace("demo", "{store}") + "/{id}", List.of("put", "get", "delete"),
                WEBHOOKS.replace("demo", "{store}") + "/{id}/deliveries", List.of("get"),
                WEBHOOKS.replace("demo", "{store}") + "/{id}/deliveries/{eventId}/retry", List.of("post"));
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        expected.forEach((path, methods) -> assertThat(paths.get(path)).as(path).containsKeys(methods.toArray(String[]::new)));
        assertThat(doc.getString("paths.'/v1/stores/{store}/webhooks/{id}'.put.summary"))
                .isEqualTo("Create or replace a webhook subscription");
        assertThat(doc.getMap("paths.'/v1/stores/{store}/webhooks/{id}'.put.responses")).containsKeys("200", "201", "422");
    }
}
