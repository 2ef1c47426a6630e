package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

/** API keys: one store each, configured as SHA-256 digests; another store's sessions are invisible. */
/** The test resource configures two stores: {@code demo} ({@code demo-key}) and {@code rockets.example} ({@code rocket-key}). */
@QuarkusTest
public class AuthTest {

    private static io.restassured.specification.RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key).contentType("application/json");
    }

    @Test
    void aMissingKeyIs401WithAChallenge() {
        given().when().get(session(newKey())).then()
                .statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/unauthorized"));
        given().when().put(session(newKey())).then().statusCode(401);
        given().when().get("/v1/stores/demo/members/ann/sessions").then().statusCode(401);
    }

    @Test
    void anUnknownKeyIs401() {
        as("not-a-key").when().put(session(newKey())).then()
                .statusCode(401).header("WWW-Authenticate", "Bearer").body("type", equalTo("/problems/unauthorized"));
        given().header("Authorization", "Basic ZGVtbzpkZW1vLWtleQ==").when().put(session(newKey())).then().statusCode(401);
        given().header("Authorization", "Bearer").when().put(session(newKey())).then().statusCode(401);
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        given().header("Authorization", "bearer demo-key").when().put(session(newKey())).then().statusCode(201);
    }

    @Test
    void aKeyOnAnotherStoresPathIsIndistinguishableFromAnAbsentSession() {
        String key = newKey();
        as("rocket-key").when().put("/v1/stores/rockets.example/sessions/" + key).then().statusCode(201);
        // the demo key cannot see, change or delete the rockets store's session...
        var seen = as("demo-key").when().get("/v1/stores/rockets.example/sessions/" + key).then()
                .statusCode(404).body("type", equalTo("/problems/not-found")).extract().asString();
        var absent = as("rocket-key").when().get("/v1/stores/rockets.example/sessions/" + newKey()).then()
                .statusCode(404).extract().asString();
        org.assertj.core.api.Assertions.assertThat(seen).isEqualTo(absent);
        as("demo-key").body(Map.of("entry", "x")).when().post("/v1/stores/rockets.example/sessions/" + key + "/logs")
                .then().statusCode(404);
        as("demo-key").when().delete("/v1/stores/rockets.example/sessions/" + key).then().statusCode(404);
        as("demo-key").when().put("/v1/stores/rockets.example/sessions/" + key).then().statusCode(404);
        as("demo-key").when().get("/v1/stores/rockets.example/members/ann/sessions").then().statusCode(404);
        as("rocket-key").when().get("/v1/stores/rockets.example/sessions/" + key).then()
                .statusCode(200).body("version", equalTo(1));
    }

    @Test
    void theSameSessionKeyLivesIndependentlyInTwoStores() {
        String key = newKey();
        as("demo-key").when().put("/v1/stores/demo/sessions/" + key).then().statusCode(201);
        as("rocket-key").when().put("/v1/stores/rockets.example/sessions/" + key).then().statusCode(201);
        as("demo-key").body(Map.of("entry", "only in demo")).when().post("/v1/stores/demo/sessions/" + key + "/logs")
                .then().statusCode(200).body("version", equalTo(2));
        as("rocket-key").when().get("/v1/stores/rockets.example/sessions/" + key).then()
                .statusCode(200).body("version", equalTo(1)).body("store", equalTo("rockets.example"))
                .body(not(containsString("only in demo")));
    }

    @Test
    void operationalEndpointsStayOpen() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
