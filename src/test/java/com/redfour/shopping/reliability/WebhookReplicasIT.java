package com.redfour.shopping.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.event.webhook.Receiver;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static com.redfour.shopping.reliability.WriteLoad.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two packaged replicas deliver one subscription's webhooks while changes land on both: no two
 * requests for one session reach the receiver at once, each session's events arrive in order, and
 * after a {@code kill -9} of one replica mid-delivery and a database restart every event recorded
 * (so every acknowledged change) still reaches the receiver.
 */
class WebhookReplicasIT {

    private static final String ITEM = "{\"sku\":\"SKU-%d\",\"name\":\"Item\",\"price\":1.00,\"quantity\":1}";
    private static final Map<String, String> FAST_DELIVERY = Map.of(
            "REDFOUR_WEBHOOKS_ALLOW_PRIVATE", "true",
            "REDFOUR_WEBHOOKS_POLL_INTERVAL", "PT0.1S",
            "REDFOUR_WEBHOOKS_CONCURRENCY", "10",
            "REDFOUR_WEBHOOKS_RETRY_INITIAL", "PT0.2S",
            "REDFOUR_WEBHOOKS_RETRY_MAX", "PT1S",
            "REDFOUR_WEBHOOKS_TIMEOUT", "PT2S",
            "REDFOUR_WEBHOOKS_LEASE", "PT5S"); // over twice the timeout: a run sends a session's batch (docs/webhooks.md)

    private static final int WRITERS = 4;
    private static final int CHANGES_PER_WRITER = 100;
    /**
     * Refused requests (no answer, 503, or 409 version-conflict, each with Retry-After) a writer tolerates:
     * the kill and the database restart each refuse a few seconds' worth at one every 100 ms.
     */
    private static final int MAX_REFUSALS_PER_WRITER = 600;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void twoReplicasDeliverInOrderOneAtATimeAndLoseNothingToAKillOrADatabaseRestart() throws Exception {
        try (FaultDatabase database = FaultDatabase.startNew("webhooks");
                PackagedService a = PackagedService.start("webhooks-a", database, FAST_DELIVERY);
                PackagedService b = PackagedService.start("webhooks-b", database, FAST_DELIVERY);
                Receiver receiver = new Receiver(body -> {
                    PackagedService.pause(Duration.ofMillis(20)); // a receiver that takes a moment widens every race
                    return 200;
                })) {
            Api first = new Api(a);
            Api second = new Api(b);
            Api.Reply subscribed = first.send("PUT", "/v1/stores/demo/webhooks/replicas",
                    "{\"url\":\"" + receiver.url("/replicas") + "\"}");
            assertThat(subscribed.status()).as(subscribed.body()).isEqualTo(201);
            List<String> sessions = Summary.openSessions(first, "webhooks", 12);

            // A fixed workload: each writer gets CHANGES_PER_WRITER changes acknowledged, whatever the kill and
            // the database restart refuse on the way (a refused change is sent again after a pause, as a
            // client honouring Retry-After would). How far the phases below have got when the writers finish
            // is a matter of timing; what is asserted afterwards is not.
            Set<String> acknowledged = ConcurrentHashMap.newKeySet();
            AtomicBoolean firstAlive = new AtomicBoolean(true);
            ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> work = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int worker = w;
                work.add(writers.submit(() -> {
                    int refusals = 0;
                    for (int n = 0; n < CHANGES_PER_WRITER; ) {
                        String key = sessions.get((worker * 3 + n) % sessions.size());
                        Api api = n % 2 == 0 && firstAlive.get() ? first : second;
                        int status;
                        String body = "";
                        try {
                            Api.Reply reply = api.send("POST", Api.session(key) + "/items", ITEM.formatted(n % 20));
                            status = reply.status();
                            body = reply.body();
                        } catch (IOException refused) {
                            status = -1; // the killed replica, or the database restarting: not acknowledged
                        }
                        if (status == 200) {
                            acknowledged.add(key + "@" + json.readTree(body).path("version").asLong());
                            n++;
                        } else if ((status == -1 || status == 503 || status == 409 && body.contains("/problems/version-conflict"))
                                && ++refusals <= MAX_REFUSALS_PER_WRITER) {
                            PackagedService.pause(Duration.ofMillis(100));
                        } else {
                            throw new AssertionError("writer " + worker + ": " + status + " " + body + " after " + refusals + " refusals");
                        }
                    }
                    return null;
                }));
            }

            await("deliveries under way", Duration.ofSeconds(120), () -> receiver.requests().size() >= 40);
            a.kill();
            firstAlive.set(false);
            await("more deliveries from the surviving replica", Duration.ofSeconds(120),
                    () -> receiver.requests().size() >= 120);
            database.stop();
            PackagedService.pause(Duration.ofSeconds(2)); // the outage itself, not a wait for anything
            database.start();
            for (Future<?> done : work) {
                done.get();
            }
            writers.shutdown();
            assertThat(acknowledged).as("each writer's changes acknowledged, each a version of its own")
                    .hasSize(WRITERS * CHANGES_PER_WRITER);

            Map<String, List<Long>> recorded = new LinkedHashMap<>();
            for (String key : sessions) {
                recorded.put(key, versionsRecorded(second, key));
            }
            Set<String> recordedEvents = new HashSet<>();
            recorded.forEach((key, versions) -> versions.forEach(v -> recordedEvents.add(key + "@" + v)));
            assertThat(recordedEvents).as("every acknowledged change recorded its event").containsAll(acknowledged);

            await("every recorded event delivered", Duration.ofSeconds(180), () -> delivered(receiver).containsAll(recordedEvents));

            assertThat(receiver.overlapped()).as("no two requests for one session at once").isFalse();
            for (String key : sessions) {
                List<Long> firstArrivals = new ArrayList<>();
                for (Receiver.Request request : receiver.requests()) {
                    long version = json.readTree(request.body()).path("version").asLong();
                    if (Receiver.sessionOf(request.body()).equals(key) && !firstArrivals.contains(version)) {
                        firstArrivals.add(version);
                    }
                }
                assertThat(firstArrivals).as("session %s in order", key).isEqualTo(recorded.get(key));
            }
            long duplicates = receiver.requests().size() - delivered(receiver).size();
            Summary.print("webhooks: kill -9 of one of two replicas, then a database restart", recordedEvents.size(),
                    acknowledged.size(), 0, "every recorded event delivered",
                    duplicates + " redelivered (at least once; receivers deduplicate by webhook-id)");
        }
    }

    private List<Long> versionsRecorded(Api api, String key) throws Exception {
        Api.Reply page = api.get("/v1/stores/demo/events?limit=500&session=" + key);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<Long> versions = new ArrayList<>();
        for (JsonNode event : json.readTree(page.body()).path("events")) {
            versions.add(event.path("version").asLong());
        }
        return versions;
    }

    private Set<String> delivered(Receiver receiver) {
        Set<String> seen = new HashSet<>();
        for (Receiver.Request request : receiver.requests()) {
            try {
                seen.add(Receiver.sessionOf(request.body()) + "@" + json.readTree(request.body()).path("version").asLong());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return seen;
    }
}
