package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Delivery to real receivers on 127.0.0.1: signed, once each, in order per session, retried. */
@QuarkusTest
class WebhookDeliveryTest {

    static final String WEBHOOKS = "/v1/stores/demo/webhooks";
    static final Duration DEADLINE = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    Outbox outbox;
    Receiver receiver;
    final List<String> subscriptions = new ArrayList<>();

    @BeforeEach
    void setUp() {
        outbox = new Outbox(pool);
    }

    @AfterEach
    void tearDown() {
        subscriptions.forEach(id -> api().delete(WEBHOOKS + "/" + id));
        if (receiver != null) {
            receiver.close();
        }
    }

    /** Subscribes the receiver to every event type; answers the secret. */
    String subscribe(String id, String path) {
        subscriptions.add(id);
        return api().body(Map.of("url", receiver.url(path), "types", List.of("*")))
                .put(WEBHOOKS + "/" + id).then().statusCode(201).extract().jsonPath().getString("secret");
    }

    static String newSession() {
        return "w" + UUID.randomUUID().toString().replace("-", "");
    }

    static List<Receiver.Request> of(List<Receiver.Request> requests, Set<String> sessions) {
        return requests.stream().filter(r -> sessions.contains(Receiver.sessionOf(r.body()))).toList();
    }

    static long version(Receiver.Request request) {
        return JsonPath.from(request.body()).getLong("version");
    }

    static String hmac(String secret, String id, String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring(6)), "HmacSHA256"));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal((id + "." + timestamp + "." + body)
                .getBytes(StandardCharsets.UTF_8)));
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition met within %s", DEADLINE).isLessThan(end);
            Thread.sleep(50);
        }
    }

    @Test
    void everyEventIsDeliveredOnceSignedAndInOrderPerSession() throws Exception {
        receiver = Receiver.ok();
        String secret = subscribe("all-events", "/hooks?src=redfour");
        List<String> sessions = List.of(newSession(), newSession(), newSession());
        Set<Long> written = new HashSet<>();
        for (int version = 1; version <= 5; version++) {
            for (String session : sessions) {
                written.add(outbox.write("demo", session, version, version == 1 ? "session.created" : "item.selected"));
            }
        }

        List<Receiver.Request> got = of(receiver.await(all -> of(all, Set.copyOf(sessions)).size() >= 15, DEADLINE),
                Set.copyOf(sessions));

        assertThat(got).hasSize(15);
        assertThat(got).extracting(r -> Long.parseLong(r.header("webhook-id"))).containsExactlyInAnyOrderElementsOf(written);
        for (String session : sessions) {
            assertThat(got.stream().filter(r -> Receiver.sessionOf(r.body()).equals(session)).map(WebhookDeliveryTest::version))
                    .containsExactly(1L, 2L, 3L, 4L, 5L);
        }
        for (Receiver.Request request : got) {
            assertThat(request.header(":method")).isEqualTo("POST");
            assertThat(request.header(":path")).isEqualTo("/hooks?src=redfour");
            assertThat(request.header("content-type")).isEqualTo("application/json");
            String id = request.header("webhook-id");
            assertThat(id).matches("\\d{20}");
            assertThat(JsonPath.from(request.body()).getString("id")).isEqualTo(id);
            String timestamp = request.header("webhook-timestamp");
            assertThat(Long.parseLong(timestamp)).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
            assertThat(request.header("webhook-signature")).isEqualTo(hmac(secret, id, timestamp, request.body()));
        }
        assertThat(receiver.overlapped()).isFalse();
        eventually(() -> api().get(WEBHOOKS + "/all-events").jsonPath().getInt("delivery.pending") == 0);
        JsonPath state = api().get(WEBHOOKS + "/all-events").jsonPath();
        assertThat(state.getString("delivery.lastSuccessAt")).isNotNull();
        assertThat(state.getInt("delivery.failed")).isZero();
        assertThat(state.getString("delivery.lastFailure")).isNull();
    }

    @Test
    void aWalkThroughIsDeliveredEventForEventAsTheEventsEndpointShowsIt() throws Exception {
        receiver = Receiver.ok();
        String secret = subscribe("walk-through", "/walk");
        List<String> keys = List.of(newKey(), newKey());
        for (String key : keys) {
            api().put(session(key)).then().statusCode(201);
            add(key, "RKT-1", "19.99", 2);
            api().body(Map.of("quantity", 5)).patch(session(key) + "/items/RKT-1").then().statusCode(200);
            api().body(Map.of("code", "SPRING10", "percentOff", 10)).post(session(key) + "/discounts").then().statusCode(200);
            api().body(Map.of("entry", "Viewed the launch pad")).post(session(key) + "/logs").then().statusCode(200);
            // refused and replayed changes write no event, so nothing is delivered for them
            api().body(Map.of("quantity", 1)).patch(session(key) + "/items/NOPE").then().statusCode(404);
            api().header("Idempotency-Key", "once").body(Map.of("entry", "x")).post(session(key) + "/logs").then().statusCode(200);
            api().header("Idempotency-Key", "once").body(Map.of("entry", "x")).post(session(key) + "/logs").then().statusCode(200);
            api().post(session(key) + "/close").then().statusCode(200);
        }
        List<String> expected = new ArrayList<>();
        for (String key : keys) {
            expected.addAll(api().queryParam("session", key).get("/v1/stores/demo/events").then().statusCode(200)
                    .extract().jsonPath().getList("events.id", String.class));
        }
        assertThat(expected).hasSize(14);

        List<Receiver.Request> got = of(receiver.await(all -> of(all, Set.copyOf(keys)).size() >= 14, DEADLINE),
                Set.copyOf(keys));

        assertThat(got).extracting(r -> r.header("webhook-id")).containsExactlyInAnyOrderElementsOf(expected);
        for (String key : keys) {
            List<Receiver.Request> ofSession = got.stream().filter(r -> Receiver.sessionOf(r.body()).equals(key)).toList();
            assertThat(ofSession).extracting(r -> JsonPath.from(r.body()).getString("type")).containsExactly(
                    "session.created", "item.selected", "item.quantity-changed", "discount.applied",
                    "activity.recorded", "activity.recorded", "session.closed");
            assertThat(ofSession).extracting(WebhookDeliveryTest::version).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }
        for (Receiver.Request request : got) {
            Map<String, Object> recorded = api().queryParam("session", Receiver.sessionOf(request.body()))
                    .get("/v1/stores/demo/events").then().extract().jsonPath().<Map<String, Object>>getList("events").stream()
                    .filter(e -> e.get("id").equals(request.header("webhook-id"))).findFirst().orElseThrow();
            assertThat(JsonPath.from(request.body()).<String, Object>getMap("$")).isEqualTo(recorded);
            assertThat(request.header("webhook-signature"))
                    .isEqualTo(hmac(secret, request.header("webhook-id"), request.header("webhook-timestamp"), request.body()));
        }
        // nothing more arrives for these sessions: each event exactly once
        eventually(() -> api().get(WEBHOOKS + "/walk-through").jsonPath().getInt("delivery.pending") == 0);
        assertThat(of(receiver.requests(), Set.copyOf(keys))).hasSize(14);
    }

    @Test
    void operatorsScrapeOutcomesLatencyBacklogAndAge() throws Exception {
        receiver = Receiver.ok();
        subscribe("metered", "/metered");
        outbox.write("demo", newSession(), 1, "session.created");
        receiver.await(all -> !all.isEmpty(), DEADLINE);
        eventually(() -> api().get(WEBHOOKS + "/metered").jsonPath().getInt("delivery.pending") == 0);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics.lines().filter(l -> l.startsWith("redfour_webhook_deliveries_total{")
                && l.contains("outcome=\"delivered\"")).findFirst().orElseThrow()).doesNotEndWith(" 0.0");
        assertThat(metrics)
                .contains("redfour_webhook_deliveries_total{outcome=\"retrying\"")
                .contains("redfour_webhook_deliveries_total{outcome=\"failed\"")
                .contains("redfour_webhook_delivery_latency_seconds_count")
                .contains("redfour_webhook_delivery_latency_seconds{quantile=\"0.99\"")
                .contains("redfour_webhook_backlog ")
                .contains("redfour_webhook_oldest_undelivered_age_seconds ");
    }

    @Test
    void aReceiverAnswering500GetsTheSameEventAgainAfterABackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        receiver = new Receiver(body -> calls.incrementAndGet() == 1 ? 500 : 200);
        subscribe("flaky", "/flaky");
        String session = newSession();
        long id = outbox.write("demo", session, 1, "session.created");

        List<Receiver.Request> got = receiver.await(all -> all.size() >= 2, DEADLINE);

        assertThat(got).hasSize(2);
        assertThat(got).extracting(r -> r.header("webhook-id")).containsOnly(String.format("%020d", id));
        assertThat(got).extracting(Receiver.Request::answered).containsExactly(500, 200);
        // retry.initial is 200 ms in tests, less up to a fifth of jitter
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        eventually(() -> api().get(WEBHOOKS + "/flaky").jsonPath().getInt("delivery.pending") == 0);
        JsonPath state = api().get(WEBHOOKS + "/flaky").jsonPath();
        assertThat(state.getInt("delivery.lastFailure.status")).isEqualTo(500);
        assertThat(state.getString("delivery.lastFailure.error")).isEqualTo("the receiver answered 500");
        assertThat(state.getString("delivery.lastSuccessAt")).isNotNull();
        assertThat(receiver.requests()).hasSize(2);
    }

    /**
     * A run sends a session's queued deliveries one after another and records them together in its
     * next step; when one of them fails, the ones it delivered before are recorded with the failure:
     * the retry resends only the failed one and what follows it, in order.
     */
    @Test
    void aFailureMidBatchKeepsTheDeliveriesBeforeItDelivered() throws Exception {
        String session = newSession();
        CountDownLatch firstHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger sixthTries = new AtomicInteger();
        receiver = new Receiver(body -> {
            long version = JsonPath.from(body).getLong("version");
            if (version == 1) {
                firstHeld.countDown();
                return WebhookPipelineTest.held(release);
            }
            return version == 6 && sixthTries.incrementAndGet() == 1 ? 500 : 204;
        });
        subscribe("batch", "/batch");
        outbox.write("demo", session, 1, "session.created");
        try {
            assertThat(firstHeld.await(DEADLINE.toSeconds(), TimeUnit.SECONDS)).as("the first delivery is in flight").isTrue();
            for (long version = 2; version <= 11; version++) {
                outbox.write("demo", session, version, "item.selected");
            }
            // the ten are queued behind the held one: the run's next step reads them all at once
            WebhookPipelineTest.awaitPending("batch", 11);
        } finally {
            release.countDown();
        }

        List<Receiver.Request> got = receiver.await(all -> all.size() >= 12, DEADLINE);

        assertThat(got).extracting(r -> version(r) + " " + r.answered()).containsExactly("1 204", "2 204", "3 204",
                "4 204", "5 204", "6 500", "6 204", "7 204", "8 204", "9 204", "10 204", "11 204");
        eventually(() -> api().get(WEBHOOKS + "/batch").jsonPath().getInt("delivery.pending") == 0);
        assertThat(receiver.requests()).hasSize(12);
        assertThat(receiver.overlapped()).isFalse();
    }

    /** A replica that queued and sent deliveries vacuums the queue table itself (every 2 s by default). */
    @Test
    void aReplicaThatDeliveredVacuumsTheQueueTable() throws Exception {
        long before = vacuums();
        receiver = Receiver.ok();
        subscribe("vacuumed", "/vacuumed");
        String session = newSession();
        outbox.write("demo", session, 1, "session.created");
        receiver.await(all -> all.size() >= 1, DEADLINE);

        eventually(() -> vacuums() > before);
    }

    private long vacuums() {
        return pool.query("SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = 'webhook_queue'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    @Test
    void aSessionsLaterEventWaitsForItsEarlierOneWhileOtherSessionsGoOn() throws Exception {
        String slow = newSession();
        String other = newSession();
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        receiver = new Receiver(body -> {
            boolean first = Receiver.sessionOf(body).equals(slow) && JsonPath.from(body).getLong("version") == 1;
            return first && attempts.computeIfAbsent("v1", k -> new AtomicInteger()).incrementAndGet() <= 2 ? 503 : 200;
        });
        subscribe("ordered", "/ordered");
        outbox.write("demo", slow, 1, "session.created");
        outbox.write("demo", slow, 2, "item.selected");
        outbox.write("demo", other, 1, "session.created");

        List<Receiver.Request> got = receiver.await(all -> all.size() >= 5, DEADLINE);

        assertThat(got).hasSize(5);
        List<String> order = got.stream().map(r -> Receiver.sessionOf(r.body()).equals(slow)
                ? "slow v" + version(r) + " " + r.answered() : "other v" + version(r) + " " + r.answered()).toList();
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("slow v1 503", "other v1 200");
        assertThat(order.subList(2, 5)).containsExactly("slow v1 503", "slow v1 200", "slow v2 200");
        assertThat(receiver.overlapped()).isFalse();
    }

    @Test
    void aSubscriptionGetsOnlyTheTypesItAskedFor() throws Exception {
        receiver = Receiver.ok();
        subscriptions.add("closed-only");
        api().body(Map.of("url", receiver.url("/closed"), "types", List.of("session.closed")))
                .put(WEBHOOKS + "/closed-only").then().statusCode(201);
        String session = newSession();
        outbox.write("demo", session, 1, "session.created");
        outbox.write("demo", session, 2, "item.selected");
        long closed = outbox.write("demo", session, 3, "session.closed");
        List<Receiver.Request> got = receiver.await(all -> !all.isEmpty(), DEADLINE);

        assertThat(got).extracting(r -> r.header("webhook-id")).containsExactly(String.format("%020d", closed));
        // had the other types been queued, they would arrive before this one
        outbox.write("demo", session, 4, "session.closed");
        assertThat(receiver.await(all -> all.size() >= 2, DEADLINE)).extracting(WebhookDeliveryTest::version)
                .containsExactly(3L, 4L);
    }
}
