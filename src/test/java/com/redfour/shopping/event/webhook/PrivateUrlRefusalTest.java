package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** With private destinations not allowed (the production default), such URLs are refused with 422. */
@QuarkusTest
@TestProfile(PrivateUrlRefusalTest.ProductionGuard.class)
class PrivateUrlRefusalTest {

    /** The production setting of the guard. */
    public static class ProductionGuard implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.webhooks.allow-private", "false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/hooks", "http://localhost/hooks", "https://localhost:8443/x",
            "http://[::1]:8080/", "http://10.0.0.7/", "http://192.168.1.1/", "http://172.20.0.1/",
            "http://169.254.169.254/latest/meta-data/", "http://[fd00::1]/", "http://[::ffff:127.0.0.1]/",
            "http://100.64.0.1/", "http://0.0.0.0:8080/"})
    void aPrivateDestinationIsRefused(String url) {
        api().body(Map.of("url", url)).when().put("/v1/stores/demo/webhooks/private").then()
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("/problems/validation-failed"))
                .body("errors.field", contains("url"))
                .body("errors[0].message", containsString("which webhooks may not reach"));
        api().get("/v1/stores/demo/webhooks/private").then().statusCode(404);
    }
}
