package com.redfour.shopping.reliability;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the packaged service (prod profile) shows to anyone who asks: no development tools, and
 * errors as problem documents without internals.
 */
class ProductionSurfaceIT {

    @Test
    void noDevelopmentToolsAndNoInternalsInErrors() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("surface");
                PackagedService service = PackagedService.start("production-surface", database, Map.of())) {
            Api api = new Api(service);
            for (String tool : new String[] {"/q/swagger-ui/", "/q/dev-ui/", "/q/dev/", "/q/arc/beans"}) {
                assertEquals(404, api.get(tool).status(), tool + " is not served in prod");
            }
            Api.Reply unknown = api.get("/v1/nothing/here");
            assertEquals(404, unknown.status());
            Api.Reply malformed = api.send("POST", Api.session("surface-aaaaaaaaaaaaaaaa") + "/items", "{\"sku\":");
            assertEquals(400, malformed.status(), malformed.body());
            for (Api.Reply error : new Api.Reply[] {unknown, malformed}) {
                String body = error.body().toLowerCase(Locale.ROOT);
                assertFalse(body.contains("exception") || body.contains("com.") || body.contains(".java"), error.body());
                assertTrue(error.body().isEmpty()
                        || error.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                        error.headers().map() + " " + error.body());
            }
        }
    }
}
