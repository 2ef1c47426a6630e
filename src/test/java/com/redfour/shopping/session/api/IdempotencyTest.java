package com.redfour.shopping.session.api;

import com.redfour.shopping.support.TestClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** Exactly-once changes with {@code Idempotency-Key}. Uses the test clock, so it runs in-process only. */
@QuarkusTest
public class IdempotencyTest {

    @Inject
    TestClock clock;

    @TestHTTPResource("/")
    URI base;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static final Map<String, Object> ADD = Map.of("sku", "RKT-1", "name", "Falcon", "price", 1, "quantity", 1);

    @Test
    void aRepeatIsNotAppliedAgainAndSaysSo() {
        String key = createSession();
        api().header("Idempotency-Key", "add-1").body(ADD).post(session(key) + "/items").then()
                .statusCode(200).header("Idempotent-Replayed", nullValue()).body("version", equalTo(2));
        api().body(Map.of("entry", "later")).post(session(key) + "/logs").then().statusCode(200);
        api().header("Idempotency-Key", "add-1").body(ADD).post(session(key) + "/items").then()
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .header("ETag", "\"3\"")
                .body("version", equalTo(3))          // the session as it is now
                .body("items[0].quantity", equalTo(1)); // added once
    }

    @Test
    void whitespaceDoesNotMakeADifferentBody() {
        String key = createSession();
        api().header("Idempotency-Key", "k-ws").body("{\"entry\":\"hello\"}").post(session(key) + "/logs").then().statusCode(200);
        api().header("Idempotency-Key", "k-ws").body("{ \"entry\" : \"hello\" }").post(session(key) + "/logs").then()
                .statusCode(200).header("Idempotent-Replayed", "true").body("version", equalTo(2));
    }

    @Test
    void theSameKeyForADifferentRequestIs422() {
        String key = createSession();
        api().header("Idempotency-Key", "k-1").body(ADD).post(session(key) + "/items").then().statusCode(200);
        api().header("Idempotency-Key", "k-1").body(Map.of("sku", "RKT-2", "name", "Other", "price", 1))
                .post(session(key) + "/items").then()
                .statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("/problems/idempotency-key-reused"));
        api().header("Idempotency-Key", "k-1").body(Map.of("entry", "x")).post(session(key) + "/logs").then()
                .statusCode(422).body("type", equalTo("/problems/idempotency-key-reused"));
        api().get(session(key)).then().body("version", equalTo(2));
    }

    @Test
    void parallelDuplicatesApplyExactlyOnce() {
        String key = createSession();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> sent = IntStream.range(0, 10)
                .mapToObj(i -> http.sendAsync(HttpRequest.newBuilder(base.resolve(session(key) + "/items"))
                        .header("Authorization", "Bearer demo-key").header("Content-Type", "application/json")
                        .header("Idempotency-Key", "dup-1")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"RKT-1\",\"name\":\"Falcon\",\"price\":1,\"quantity\":1}"))
                        .build(), HttpResponse.BodyHandlers.ofString()))
                .toList();
        List<HttpResponse<String>> answers = sent.stream().map(CompletableFuture::join).toList();
        assertThat(answers).allMatch(r -> r.statusCode() == 200);
        assertThat(answers).filteredOn(r -> r.headers().firstValue("Idempotent-Replayed").isEmpty()).hasSize(1);
        api().get(session(key)).then().body("version", equalTo(2)).body("items[0].quantity", equalTo(1));
    }

    @Test
    void aRepeatAfter24HoursIsAppliedAgain() {
        String key = createSession();
        api().header("Idempotency-Key", "old").body(ADD).post(session(key) + "/items").then().statusCode(200);
        clock.advance(Duration.ofHours(23));
        api().header("Idempotency-Key", "old").body(ADD).post(session(key) + "/items").then()
                .statusCode(200).header("Idempotent-Replayed", "true").body("items[0].quantity", equalTo(1));
        clock.advance(Duration.ofHours(1).plusSeconds(1));
        api().header("Idempotency-Key", "old").body(ADD).post(session(key) + "/items").then()
                .statusCode(200).header("Idempotent-Replayed", nullValue()).body("items[0].quantity", equalTo(2));
    }

    @Test
    void createAndDeleteRepeatWithTheirFirstStatus() {
        String key = newKey();
        api().header("Idempotency-Key", "create-1").put(session(key)).then().statusCode(201);
        api().header("Idempotency-Key", "create-1").put(session(key)).then()
                .statusCode(201).header("Idempotent-Replayed", "true").body("version", equalTo(1));
        api().header("Idempotency-Key", "delete-1").delete(session(key)).then().statusCode(204);
        api().header("Idempotency-Key", "delete-1").delete(session(key)).then()
                .statusCode(204).header("Idempotent-Replayed", "true");
        api().delete(session(key)).then().statusCode(404);
    }

    @Test
    void everyKindOfChangeHonoursTheKey() {
        String key = createSession();
        api().body(ADD).post(session(key) + "/items").then().statusCode(200);
        record Call(String method, String path, Object body) {
        }
        List<Call> calls = List.of(
                new Call("PATCH", "/items/RKT-1", Map.of("quantity", 5)),
                new Call("POST", "/discounts", Map.of("code", "TEN", "percentOff", 10)),
                new Call("DELETE", "/discounts/TEN", null),
                new Call("PUT", "/member", Map.of("memberId", "ann")),
                new Call("DELETE", "/member", null),
                new Call("POST", "/logs", Map.of("entry", "x")),
                new Call("DELETE", "/items/RKT-1", null),
                new Call("DELETE", "/items", null),
                new Call("POST", "/close", Map.of("orderId", "O-1")));
        long version = 2;
        for (Call call : calls) {
            for (int attempt = 0; attempt < 2; attempt++) {
                var request = api().header("Idempotency-Key", "each-" + call.method() + call.path());
                if (call.body() != null) {
                    request = request.body(call.body());
                }
                request.request(call.method(), session(key) + call.path()).then()
                        .statusCode(200).body("version", equalTo((int) version + 1));
            }
            version++;
        }
    }

    @Test
    void aMalformedKeyIs400() {
        String key = createSession();
        api().header("Idempotency-Key", "has space").body(ADD).post(session(key) + "/items").then()
                .statusCode(400).body("type", equalTo("/problems/invalid-request"));
        api().header("Idempotency-Key", "x".repeat(256)).body(ADD).post(session(key) + "/items").then().statusCode(400);
        api().header("Idempotency-Key", "").body(ADD).post(session(key) + "/items").then()
                .statusCode(400).contentType("application/problem+json");
        api().get(session(key)).then().body("version", equalTo(1));
    }

    /**
     * The fingerprint stored with a key is derived from the request as the previous version wrote it
     * by hand: SHA-256 of method, path below the session and canonical body. Keys stored by a replica
     * of the previous version therefore still replay (and are still refused for other requests).
     */
    @Test
    void theFingerprintIsMethodPathBelowTheSessionAndCanonicalBody() throws Exception {
        String key = createSession();
        api().header("Idempotency-Key", "fp-1").body("{ \"entry\" :  \"x\" }").post(session(key) + "/logs")
                .then().statusCode(200);
        api().header("Idempotency-Key", "fp-2").delete(session(key) + "/items").then().statusCode(200);

        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        try (var db = java.sql.DriverManager.getConnection(config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getOptionalValue("quarkus.datasource.username", String.class).orElse("postgres"),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
                var query = db.prepareStatement("SELECT k ->> 'key', k ->> 'fingerprint', k ->> 'outcome'"
                        + " FROM session, jsonb_array_elements(applied_keys) AS k WHERE store = 'demo' AND key = ? ORDER BY 1")) {
            query.setString(1, key);
            try (var rows = query.executeQuery()) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(2)).isEqualTo(sha256("POST /logs\n{\"entry\":\"x\"}"));
                assertThat(rows.getString(3)).isEqualTo("changed");
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(2)).isEqualTo(sha256("DELETE /items\n"));
                assertThat(rows.next()).isFalse();
            }
        }
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
