package com.redfour.shopping.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.util.UUID;

import static com.redfour.shopping.hostile.HostileInputTest.AUTHORIZATION;
import static com.redfour.shopping.hostile.HostileInputTest.assertProblem;
import static com.redfour.shopping.hostile.HostileInputTest.assertUnchanged;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Abuse that is well-formed: a session cannot be grown without bound (lines, discounts, log) and a
 * body cannot set what the server owns (mass assignment); a negative price is refused and logged.
 */
@QuarkusTest
class ResourceBoundsTest {

    @TestHTTPResource("/")
    URL base;

    private RawHttp http;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void connect() {
        http = new RawHttp(base.getHost(), base.getPort());
    }

    @Test
    void aSessionHoldsAtMost250LinesAnd10Discounts() throws Exception {
        String key = openSession();
        for (int i = 0; i < 250; i++) {
            assertEquals(200, post(key, "/items", "{\"sku\":\"SKU-" + i + "\",\"name\":\"n\",\"price\":1}").status());
        }
        JsonNode full = session(key);
        assertProblem(post(key, "/items", "{\"sku\":\"SKU-250\",\"name\":\"n\",\"price\":1}"), 422, "/problems/validation-failed");
        for (int i = 0; i < 10; i++) {
            assertEquals(200, post(key, "/discounts", "{\"code\":\"C" + i + "\",\"percentOff\":1}").status());
        }
        JsonNode withDiscounts = session(key);
        assertProblem(post(key, "/discounts", "{\"code\":\"C10\",\"percentOff\":1}"), 422, "/problems/validation-failed");
        assertUnchanged(withDiscounts, session(key), "an 11th discount");
        assertEquals(250, full.path("items").size());
        assertEquals(10, withDiscounts.path("discounts").size());
    }

    @Test
    void theLogKeepsTheNewest200Entries() throws Exception {
        String key = openSession();
        for (int i = 0; i < 210; i++) {
            assertEquals(200, post(key, "/logs", "{\"entry\":\"entry " + i + "\"}").status());
        }
        JsonNode logs = session(key).path("logs");
        assertEquals(200, logs.size());
        assertEquals("entry 209", logs.get(199).path("entry").asText());
    }

    @Test
    void fieldsTheServerOwnsCannotBeSetByABody() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        for (String[] attempt : new String[][] {
                {"/items", "{\"sku\":\"SKU-1\",\"name\":\"n\",\"price\":1,\"lineTotal\":0}"},
                {"/items", "{\"sku\":\"SKU-1\",\"name\":\"n\",\"price\":1,\"version\":99}"},
                {"/logs", "{\"entry\":\"x\",\"at\":\"2000-01-01T00:00:00Z\"}"},
                {"/discounts", "{\"code\":\"C\",\"percentOff\":10,\"discountTotal\":9999}"},
                {"/close", "{\"status\":\"open\"}"}}) {
            RawHttp.Response response = post(key, attempt[0], attempt[1]);
            assertProblem(response, 422, "/problems/validation-failed");
            assertTrue(response.text().contains("unknown field"), response::toString);
        }
        RawHttp.Response open = http.send(new RawHttp.Request("PUT", "/v1/stores/demo/sessions/" + key)
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json")
                .body("{\"status\":\"closed\",\"version\":7,\"store\":\"other\"}"));
        assertProblem(open, 422, "/problems/validation-failed");
        assertUnchanged(before, session(key), "mass assignment");
        assertFalse(session(key).toString().contains("9999"));
    }

    @Test
    void aNegativePriceIsRefusedAndLoggedAsTampering() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        RawHttp.Response response = post(key, "/items", "{\"sku\":\"RKT-1\",\"name\":\"Falcon\",\"price\":-19.99}");
        assertProblem(response, 422, "/problems/validation-failed");
        JsonNode after = session(key);
        assertEquals(0, after.path("items").size(), "nothing added");
        JsonNode logs = after.path("logs");
        assertEquals("Rejected RKT-1: negative price", logs.get(logs.size() - 1).path("entry").asText());
        assertUnchanged(before, after, "a negative price (only the tampering entry is written)");
    }

    private String openSession() throws IOException {
        String key = "bounds-" + UUID.randomUUID().toString().replace("-", "");
        RawHttp.Response created = http.send(new RawHttp.Request("PUT", "/v1/stores/demo/sessions/" + key)
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").body("{}"));
        assertEquals(201, created.status(), created::toString);
        return key;
    }

    private JsonNode session(String key) throws IOException {
        RawHttp.Response response = http.send(new RawHttp.Request("GET", "/v1/stores/demo/sessions/" + key)
                .header("Authorization", AUTHORIZATION));
        assertEquals(200, response.status(), response::toString);
        return json.readTree(response.body());
    }

    private RawHttp.Response post(String key, String path, String body) throws IOException {
        return http.send(new RawHttp.Request("POST", "/v1/stores/demo/sessions/" + key + path)
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").body(body));
    }
}
