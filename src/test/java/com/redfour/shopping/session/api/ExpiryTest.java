package com.redfour.shopping.session.api;

import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/**
 * Sessions expire the TTL (30 days) after their last change, empty ones a day after it; an expired
 * session is 410 until the purge deletes it (the purge itself: {@code session/scan/SessionPurgeTest}).
 */
@QuarkusTest
public class ExpiryTest {

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void anEmptySessionLivesADayAndOneWithALineTheFullTtl() {
        String key = createSession();
        assertThat(lifetime(api().get(session(key)).then().extract().jsonPath())).isEqualTo(Duration.ofDays(1));
        assertThat(storedExpiry(key)).isEqualTo(Instant.parse(api().get(session(key)).jsonPath().getString("expiresAt")));

        clock.advance(Duration.ofHours(23));
        api().body(Map.of("landing", "/again")).post(session(key) + "/touches").then().statusCode(200)
                .body("expiresAt", equalTo(plus(api().get(session(key)).jsonPath().getString("updatedAt"), Duration.ofDays(1))));
        add(key, "RKT-1", "1.00", 1);
        var doc = api().get(session(key)).then().extract().jsonPath();
        assertThat(lifetime(doc)).isEqualTo(Duration.ofDays(30));
        assertThat(storedExpiry(key)).isEqualTo(Instant.parse(doc.getString("expiresAt")));

        clock.advance(Duration.ofDays(2));
        api().get(session(key)).then().statusCode(200);
        api().delete(session(key) + "/items").then().statusCode(200); // empty again: a day from now
        assertThat(lifetime(api().get(session(key)).then().extract().jsonPath())).isEqualTo(Duration.ofDays(1));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        problem(api().get(session(key)).then(), 410, "session-expired");
    }

    @Test
    void aMemberANoteOrAttributesAlsoKeepASessionForTheFullTtl() {
        String member = createSession();
        api().body(Map.of("memberId", "ann")).put(session(member) + "/member").then().statusCode(200);
        String noted = createSession();
        api().body(Map.of("note", "gift")).put(session(noted) + "/note").then().statusCode(200);
        String attributed = createSession();
        api().contentType("application/merge-patch+json").body("{\"a\":\"b\"}").patch(session(attributed) + "/attributes")
                .then().statusCode(200);
        for (String key : List.of(member, noted, attributed)) {
            assertThat(lifetime(api().get(session(key)).then().extract().jsonPath())).as(key).isEqualTo(Duration.ofDays(30));
        }
        clock.advance(Duration.ofDays(2));
        for (String key : List.of(member, noted, attributed)) {
            api().get(session(key)).then().statusCode(200);
        }
    }

    @Test
    void anExpiredSessionIs410AndADeletedOrUnknownOne404() {
        String key = createSession();
        add(key, "RKT-1", "1.00", 1);
        clock.advance(Duration.ofDays(29));
        add(key, "RKT-1", "1.00", 1); // a change renews it
        clock.advance(Duration.ofDays(29));
        api().get(session(key)).then().statusCode(200).body("items[0].quantity", equalTo(2));
        String deleted = createSession();
        api().delete(session(deleted)).then().statusCode(204);
        clock.advance(Duration.ofDays(1).plusSeconds(1));

        problem(api().get(session(key)).then(), 410, "session-expired");
        problem(api().body(Map.of("entry", "x")).post(session(key) + "/logs").then(), 410, "session-expired");
        problem(api().body(Map.of("note", "x")).put(session(key) + "/note").then(), 410, "session-expired");
        problem(api().delete(session(key) + "/lines/l1").then(), 410, "session-expired");
        problem(api().delete(session(key)).then(), 410, "session-expired");
        problem(api().body(Map.of("memberId", "ann", "merge", true)).put(session(key) + "/member").then(), 410, "session-expired");

        problem(api().get(session(deleted)).then(), 404, "not-found");
        problem(api().body(Map.of("entry", "x")).post(session(deleted) + "/logs").then(), 404, "not-found");
        problem(api().get(session(newKey())).then(), 404, "not-found");

        api().put(session(key)).then().statusCode(201).body("version", equalTo(1)).body("items", empty());
        api().get(session(key)).then().statusCode(200);
    }

    private static Duration lifetime(io.restassured.path.json.JsonPath doc) {
        return Duration.between(Instant.parse(doc.getString("updatedAt")), Instant.parse(doc.getString("expiresAt")));
    }

    private static String plus(String instant, Duration by) {
        return SessionView.timestamp(Instant.parse(instant).plus(by));
    }

    private static io.restassured.response.ValidatableResponse problem(io.restassured.response.ValidatableResponse response,
            int status, String type) {
        return response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("/problems/" + type)).body("status", equalTo(status));
    }

    private Instant storedExpiry(String key) {
        return pool.preparedQuery("SELECT expires_at FROM session WHERE store = 'demo' AND key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getOffsetDateTime(0).toInstant();
    }
}
