package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the courier is driven, with the poll interval set to an hour so that nothing happens "on the
 * next tick": a commit wakes it, a session's deliveries follow one another as fast as the receiver
 * answers, and a receiver that holds its requests takes no more than its share of the runs.
 */
@QuarkusTest
@TestProfile(WebhookPipelineTest.NoPolling.class)
class WebhookPipelineTest {

    static final String WEBHOOKS = WebhookDeliveryTest.WEBHOOKS;
    static final Duration DEADLINE = WebhookDeliveryTest.DEADLINE;
    static final int RUNS = 4;
    static final int PER_SUBSCRIPTION = 2;

    public static class NoPolling implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.webhooks.poll-interval", "PT1H",
                    "redfour.webhooks.concurrency", Integer.toString(RUNS),
                    "redfour.webhooks.per-subscription", Integer.toString(PER_SUBSCRIPTION),
                    // a held request stays held for the whole test, it does not time out
                    "redfour.webhooks.timeout", "PT2M");
        }
    }

    final List<String> subscriptions = new ArrayList<>();
    final List<Receiver> receivers = new ArrayList<>();
    final List<CountDownLatch> latches = new ArrayList<>();

    @AfterEach
    void tearDown() {
        latches.forEach(CountDownLatch::countDown);
        subscriptions.forEach(id -> api().delete(WEBHOOKS + "/" + id));
        receivers.forEach(Receiver::close);
    }

    Receiver receiver(java.util.function.Function<String, Integer> answer) throws Exception {
        Receiver receiver = new Receiver(answer);
        receivers.add(receiver);
        return receiver;
    }

    void subscribe(String id, Receiver receiver) {
        subscriptions.add(id);
        api().body(Map.of("url", receiver.url("/" + id), "types", List.of("*")))
                .put(WEBHOOKS + "/" + id).then().statusCode(201);
    }

    /** Blocks the calling receiver thread until {@code latch} opens (or the test gives up on it). */
    static int held(CountDownLatch latch) {
        try {
            latch.await(DEADLINE.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 204;
    }

    static List<Long> versions(List<Receiver.Request> requests, String key) {
        return requests.stream().filter(r -> Receiver.sessionOf(r.body()).equals(key))
                .map(r -> JsonPath.from(r.body()).getLong("version")).toList();
    }

    /** A session's first event is delivered because its commit woke the courier: no poll comes. */
    @Test
    void aCommitWakesTheCourier() throws Exception {
        Receiver receiver = receiver(body -> 204);
        subscribe("woken", receiver);
        String key = createSession();

        long version = add(key, "RKT-1", "10.00", 1);

        List<Receiver.Request> got = receiver.await(all -> versions(all, key).contains(version), DEADLINE);
        assertThat(versions(got, key)).containsExactly(1L, version);
    }

    /**
     * While the receiver holds the session's first delivery, twenty more changes of it are committed
     * and queued. Then the receiver answers, and nothing else happens: no commit, no poll. All twenty
     * must follow, in order, one at a time; a courier that sends one delivery of a session per tick
     * would send the second an hour later.
     */
    @Test
    void aSessionsDeliveriesFollowOneAnotherWithoutWaitingForATick() throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        latches.add(first);
        AtomicInteger requests = new AtomicInteger();
        Receiver receiver = receiver(body -> requests.getAndIncrement() == 0 ? held(first) : 204);
        subscribe("pipeline", receiver);
        String key = createSession();
        awaitInFlight(requests, 1);

        List<Long> written = new ArrayList<>(List.of(1L));
        for (int i = 1; i <= 20; i++) {
            written.add(add(key, "RKT-" + i, "1.00", 1));
        }
        // the twenty are queued behind the held one (the fan-out ran on their commits)
        awaitPending("pipeline", 21);
        first.countDown();

        List<Receiver.Request> got = receiver.await(all -> versions(all, key).size() >= written.size(), DEADLINE);
        assertThat(versions(got, key)).containsExactlyElementsOf(written);
        assertThat(receiver.overlapped()).isFalse();
    }

    /**
     * Two subscriptions on one host: requests to one path are held, the other path answers at once.
     * The held one gets at most its share of this replica's runs (and the connections to the host are
     * not all taken by it), so the other's deliveries all arrive meanwhile.
     */
    @Test
    void aReceiverThatHoldsItsRequestsDoesNotDelayAnotherSubscriptions() throws Exception {
        CountDownLatch slowAnswers = new CountDownLatch(1);
        latches.add(slowAnswers);
        AtomicInteger slowInFlight = new AtomicInteger();
        AtomicInteger slowMostAtOnce = new AtomicInteger();
        Receiver host = new Receiver((path, body) -> {
            if (!path.equals("/slow")) {
                return 204;
            }
            slowMostAtOnce.accumulateAndGet(slowInFlight.incrementAndGet(), Math::max);
            try {
                return held(slowAnswers);
            } finally {
                slowInFlight.decrementAndGet();
            }
        });
        receivers.add(host);
        subscribe("slow", host);
        subscribe("fast", host);

        Map<String, Long> lastVersion = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 3 * RUNS; i++) {
            String key = createSession();
            lastVersion.put(key, add(key, "RKT-2", "2.00", 1));
        }

        List<Receiver.Request> got = host.await(all -> lastVersion.entrySet().stream()
                .allMatch(e -> versions(fast(all), e.getKey()).contains(e.getValue())), DEADLINE);
        lastVersion.forEach((key, version) -> assertThat(versions(fast(got), key)).as(key).containsExactly(1L, version));
        awaitInFlight(slowInFlight, PER_SUBSCRIPTION);
        assertThat(slowMostAtOnce.get()).isEqualTo(PER_SUBSCRIPTION);
        assertThat(got).allMatch(r -> r.header(":path").equals("/fast")); // every slow one is still held
    }

    static List<Receiver.Request> fast(List<Receiver.Request> requests) {
        return requests.stream().filter(r -> r.header(":path").equals("/fast")).toList();
    }

    static void awaitInFlight(AtomicInteger count, int expected) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (count.get() < expected && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(count.get()).as("requests in flight").isGreaterThanOrEqualTo(expected);
    }

    static void awaitPending(String id, int expected) throws InterruptedException {
        long end = System.nanoTime() + DEADLINE.toNanos();
        int pending = -1;
        while (System.nanoTime() < end) {
            pending = api().get(WEBHOOKS + "/" + id).jsonPath().getInt("delivery.pending");
            if (pending >= expected) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(pending).as("pending deliveries of " + id).isEqualTo(expected);
    }
}
