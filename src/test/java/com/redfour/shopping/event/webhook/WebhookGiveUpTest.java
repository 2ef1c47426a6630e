package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.DEADLINE;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.WEBHOOKS;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.eventually;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.newSession;
import static com.redfour.shopping.event.webhook.WebhookDeliveryTest.version;
import static com.redfour.shopping.support.Api.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/**
 * A delivery that keeps failing past the retry window (shortened to two seconds here) is given up:
 * listed as failed, the session's later events proceed, and a manual retry sends it again.
 */
@QuarkusTest
@TestProfile(WebhookGiveUpTest.ShortRetryWindow.class)
class WebhookGiveUpTest {

    /** Retries every 100-200 ms, given up two seconds after the first attempt. */
    public static class ShortRetryWindow implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.webhooks.retry.initial", "PT0.1S", "redfour.webhooks.retry.max", "PT0.2S",
                    "redfour.webhooks.retry.give-up-after", "PT2S");
        }
    }

    @Inject
    Pool pool;

    Receiver receiver;

    @AfterEach
    void tearDown() {
        api().delete(WEBHOOKS + "/give-up");
        receiver.close();
    }

    @Test
    void aDeliveryFailingPastTheWindowIsFailedListedAndRetriedByHand() throws Exception {
        String session = newSession();
        receiver = new Receiver(body -> JsonPath.from(body).getLong("version") == 1 ? 503 : 200);
        api().body(Map.of("url", receiver.url("/give-up"))).put(WEBHOOKS + "/give-up").then().statusCode(201);
        Outbox outbox = new Outbox(pool);
        long first = outbox.write("demo", session, 1, "session.created");
        outbox.write("demo", session, 2, "item.selected");

        // version 2 is sent only once version 1 has been given up
        List<Receiver.Request> got = receiver.await(all -> all.stream().anyMatch(r -> version(r) == 2), DEADLINE);
        int v1Attempts = (int) got.stream().filter(r -> version(r) == 1).count();
        assertThat(v1Attempts).isGreaterThanOrEqualTo(1);
        assertThat(got.subList(0, v1Attempts)).allMatch(r -> version(r) == 1 && r.answered() == 503);
        assertThat(got.get(got.size() - 1).answered()).isEqualTo(200);

        String id = String.format("%020d", first);
        eventually(() -> api().get(WEBHOOKS + "/give-up").jsonPath().getInt("delivery.pending") == 0);
        api().get(WEBHOOKS + "/give-up").then()
                .body("delivery.failed", equalTo(1))
                .body("delivery.lastFailure.status", equalTo(503))
                .body("delivery.lastSuccessAt", matchesPattern(".+Z"));
        api().when().get(WEBHOOKS + "/give-up/deliveries?status=failed").then()
                .statusCode(200)
                .body("deliveries.eventId", contains(id))
                .body("deliveries[0].sessionKey", equalTo(session))
                .body("deliveries[0].type", equalTo("session.created"))
                .body("deliveries[0].status", equalTo("failed"))
                .body("deliveries[0].attempts", equalTo(v1Attempts))
                .body("deliveries[0].lastStatus", equalTo(503))
                .body("deliveries[0].lastError", equalTo("the receiver answered 503"))
                .body("deliveries[0].nextAttemptAt", nullValue())
                .body("next", nullValue());
        JsonPath failed = api().get(WEBHOOKS + "/give-up/deliveries?status=failed").jsonPath();
        assertThat(Duration.between(Instant.parse(failed.getString("deliveries[0].firstAttemptAt")),
                Instant.parse(failed.getString("deliveries[0].lastAttemptAt")))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));

        receiver.answer(body -> 200);
        api().when().post(WEBHOOKS + "/give-up/deliveries/" + id + "/retry").then()
                .statusCode(202)
                .body("eventId", equalTo(id))
                .body("status", equalTo("pending"))
                .body("attempts", equalTo(0));

        List<Receiver.Request> after = receiver.await(all -> all.stream().filter(r -> r.answered() == 200).count() >= 2, DEADLINE);
        Receiver.Request redelivered = after.get(after.size() - 1);
        assertThat(redelivered.header("webhook-id")).isEqualTo(id);
        assertThat(redelivered.answered()).isEqualTo(200);
        eventually(() -> api().get(WEBHOOKS + "/give-up").jsonPath().getInt("delivery.failed") == 0);
        api().get(WEBHOOKS + "/give-up/deliveries?status=failed").then().body("deliveries", empty());
        api().get(WEBHOOKS + "/give-up").then().body("delivery.pending", equalTo(0));

        // a delivered event can be sent again by hand too
        api().when().post(WEBHOOKS + "/give-up/deliveries/" + id + "/retry").then()
                .statusCode(202).body("status", equalTo("pending"));
        assertThat(receiver.await(all -> all.stream().filter(r -> r.answered() == 200).count() >= 3, DEADLINE)
                .stream().filter(r -> r.answered() == 200).count()).isGreaterThanOrEqualTo(3);
    }
}
