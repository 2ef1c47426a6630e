package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI description at /q/openapi matches the contract's endpoints, errors and security. */
@QuarkusTest
public class OpenApiTest {

    private static final String SESSION = "/v1/stores/{store}/sessions/{key}";

    @Test
    void everyEndpointOfTheContractIsDescribed() throws java.io.IOException {
        String text = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract().asString();
        java.nio.file.Files.writeString(java.nio.file.Path.of("target", "openapi.json"), text);
        JsonPath doc = JsonPath.from(text);
        Map<String, List<String>> expected = new java.util.HashMap<>(Map.of(
                SESSION, List.of("put", "get", "delete"),
                SESSION + "/items", List.of("post", "delete"),
                SESSION + "/items/{sku}", List.of("patch", "delete"),
                SESSION + "/discounts", List.of("post"),
                SESSION + "/discounts/{code}", List.of("delete"),
                SESSION + "/member", List.of("put", "delete"),
                SESSION + "/logs", List.of("post"),
                SESSION + "/close", List.of("post"),
                "/v1/stores/{store}/members/{memberId}/sessions", List.of("get")));
        expected.putAll(Map.of(
                SESSION + "/lines/{lineId}", List.of("patch", "delete"),
                SESSION + "/note", List.of("put", "delete"),
                SESSION + "/attributes", List.of("patch"),
                SESSION + "/touches", List.of("post"),
                SESSION + "/recovery-links", List.of("post", "get"),
                "/v1/stores/{store}/recovery/{token}", List.of("get"),
                "/v1/stores/{store}/recovery/{token}/restore", List.of("post")));
        Map<String, Map<String, Object>> paths = doc.getMap("paths");
        expected.forEach((path, methods) -> {
            assertThat(paths).containsKey(path);
            assertThat(paths.get(path)).containsKeys(methods.toArray(String[]::new));
        });
        assertThat(doc.getString("info.title")).isEqualTo("Red:4 shopping sessions");
        assertThat(doc.getMap("components.securitySchemes.apiKey")).containsEntry("scheme", "bearer");
        Map<String, Object> responses = doc.getMap("paths.'" + SESSION + "/items'.post.responses");
        assertThat(responses).containsKeys("200", "400", "401", "404", "409", "410", "412", "413", "415", "422", "503");
        assertThat(doc.getMap("paths.'" + SESSION + "/attributes'.patch.requestBody.content")).containsKeys(
                "application/merge-patch+json", "application/json");
        assertThat(doc.getMap("components.schemas.SessionView.properties")).containsKeys("note", "attributes", "attribution", "warnings");
        assertThat(doc.getMap("components.schemas.Item.properties")).containsKeys("lineId", "attributes");
        assertThat(doc.getString("info.version")).isEqualTo("1.2");
        assertThat(doc.getMap("components.schemas.SessionView.properties")).containsKey("recoveredFrom");
        assertThat(doc.getMap("paths.'/v1/stores/{store}/recovery/{token}/restore'.post.responses"))
                .containsKeys("200", "400", "401", "404", "409", "410", "412", "413", "415", "422", "503");
        assertThat(doc.getMap("paths.'" + SESSION + "/recovery-links'.post.responses"))
                .containsKeys("201", "400", "401", "404", "409", "410", "422", "503");
        assertThat(doc.getString("paths.'" + SESSION + "/items'.post.summary")).isEqualTo("Add an item");
        String query = "paths.'/v1/stores/{store}/sessions'.get";
        assertThat(doc.getString(query + ".summary")).isEqualTo("Query the store's sessions");
        assertThat(doc.getList(query + ".parameters.name"))
                .contains("store", "status", "hasItems", "idleFor", "memberId", "limit", "cursor");
        assertThat(doc.getMap(query + ".responses")).containsKeys("200", "400", "401", "404", "503");
    }
}
