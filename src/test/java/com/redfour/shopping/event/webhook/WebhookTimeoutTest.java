package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.DEADLINE;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.WEBHOOKS;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.eventually;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.newSession;
import static com.redfour.shopping.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** A receiver that does not answer within the timeout (shortened to a second here) gets the event again. */
@QuarkusTest
@TestProfile(WebhookTimeoutTest.ShortTimeout.class)
class WebhookTimeoutTest {

    /** Receivers get a second to answer; retries come 100-200 ms later. */
    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.webhooks.timeout", "PT1S", "redfour.webhooks.retry.initial", "PT0.1S",
                    "redfour.webhooks.retry.max", "PT0.2S");
        }
    }

    @Inject
    Pool pool;

    Receiver receiver;

    @AfterEach
    void tearDown() {
        api().delete(WEBHOOKS + "/slow");
        receiver.close();
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeGetsTheEventAgain() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver = new Receiver(body -> {
            if (calls.incrementAndGet() == 1) {
                try {
                    Thread.sleep(2500); // longer than the 1 s this profile gives a receiver
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return 200;
        });
        api().body(Map.of("url", receiver.url("/slow"))).put(WEBHOOKS + "/slow").then().statusCode(201);
        long id = new Outbox(pool).write("demo", newSession(), 1, "session.created");

        List<Receiver.Request> got = receiver.await(all -> all.size() >= 2, DEADLINE);

        assertThat(got).extracting(r -> r.header("webhook-id")).containsExactly(String.format("%020d", id), String.format("%020d", id));
        eventually(() -> api().get(WEBHOOKS + "/slow").jsonPath().getInt("delivery.pending") == 0);
        api().get(WEBHOOKS + "/slow").then()
                .body("delivery.lastFailure.status", nullValue())
                .body("delivery.lastFailure.error", equalTo("no answer within the timeout"))
                .body("delivery.failed", equalTo(0));
    }
}
