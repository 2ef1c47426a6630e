package com.redfour.shopping.session.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.stream.IntStream;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;

/** Many requests at once on one session: none lost, none applied twice, versions exact. */
@QuarkusTest
public class ConcurrencyTest {

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Sends all requests at once (released together) and answers their status codes. */
    private List<Integer> race(int n, Function<Integer, HttpRequest> request) {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Integer>> answers = IntStream.range(0, n).mapToObj(i -> CompletableFuture
                .runAsync(() -> awaitQuietly(go))
                .thenCompose(ignored -> http.sendAsync(request.apply(i), HttpResponse.BodyHandlers.discarding()))
                .thenApply(HttpResponse::statusCode)).toList();
        go.countDown();
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private HttpRequest.Builder to(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer demo-key").header("Content-Type", "application/json");
    }

    @Test
    void parallelAddsToOneLineAreNeverLost() {
        String key = createSession();
        int n = 120;
        List<Integer> statuses = race(n, i -> to(session(key) + "/items")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"RKT-1\",\"name\":\"Falcon\",\"price\":1.00,\"quantity\":1}"))
                .build());
        long acknowledged = statuses.stream().filter(s -> s == 200).count();
        // one replica queues a session's changes and writes them in turn: nobody has to be refused
        assertThat(statuses).allMatch(s -> s == 200);
        var doc = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        assertThat(doc.getLong("items[0].quantity")).isEqualTo(acknowledged);
        assertThat(doc.getLong("version")).isEqualTo(1 + acknowledged);
        assertThat(doc.getList("logs.entry")).filteredOn("Selected RKT-1 x1"::equals).hasSize((int) acknowledged);
    }

    @Test
    void parallelChangesOfEveryKindAllLand() {
        String key = createSession();
        int n = 60;
        List<Integer> statuses = race(n, i -> switch (i % 3) {
            case 0 -> to(session(key) + "/items")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"A-" + i + "\",\"name\":\"a\",\"price\":2.50}")).build();
            case 1 -> to(session(key) + "/logs")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"entry\":\"viewed " + i + "\"}")).build();
            default -> to(session(key) + "/discounts")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"code\":\"D" + i + "\",\"amountOff\":0.01}")).build();
        });
        var doc = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        long discountsOk = IntStream.range(0, n).filter(i -> i % 3 == 2 && statuses.get(i) == 200).count();
        long written = statuses.stream().filter(s -> s == 200).count();
        // at most 10 discounts fit: the rest are 422, and each 422 changed nothing
        assertThat(discountsOk).isEqualTo(10);
        assertThat(statuses).allMatch(s -> s == 200 || s == 422);
        assertThat(doc.getList("items")).hasSize(20);
        assertThat(doc.getList("discounts")).hasSize(10);
        assertThat(doc.getLong("version")).isEqualTo(1 + written);
    }

    @Test
    void racingFindOrCreatesMakeOneSession() {
        String key = newKey();
        List<Integer> statuses = race(30, i -> to(session(key)).PUT(HttpRequest.BodyPublishers.noBody()).build());
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(29);
        var doc = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        assertThat(doc.getLong("version")).isEqualTo(1);
        assertThat(doc.getList("logs")).hasSize(1);
    }

    @Test
    void withIfMatchExactlyOneOfARaceWins() {
        String key = createSession();
        List<Integer> statuses = race(20, i -> to(session(key) + "/logs").header("If-Match", "\"1\"")
                .POST(HttpRequest.BodyPublishers.ofString("{\"entry\":\"attempt " + i + "\"}")).build());
        assertThat(statuses).filteredOn(s -> s == 200).hasSize(1);
        assertThat(statuses).filteredOn(s -> s == 412).hasSize(19);
        api().get(session(key)).then().statusCode(200).body("version", org.hamcrest.Matchers.equalTo(2));
    }
}
