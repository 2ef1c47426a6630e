package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

import java.util.Map;

/**
 * {@link WebhookApiTest} against the packaged application (the jar; the native executable where one is
 * built). Its subscriptions name a receiver on this machine, which the prod profile refuses unless
 * private destinations are allowed, as the test profile allows them.
 */
@QuarkusIntegrationTest
@TestProfile(WebhookApiIT.PrivateDestinationsAllowed.class)
class WebhookApiIT extends WebhookApiTest {

    /** {@code REDFOUR_WEBHOOKS_ALLOW_PRIVATE=true}, as in the test profile. */
    public static class PrivateDestinationsAllowed implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.webhooks.allow-private", "true");
        }
    }
}
