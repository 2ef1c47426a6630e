package com.redfour.shopping.session.api;

import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * The store-wide session query. Each test moves the clock to a stretch of time of its own, later than
 * every other test's: the sessions of other tests have expired there, so the store's live sessions are
 * exactly the ones the test created.
 */
@QuarkusTest
public class StoreQueryTest {

    private static final String SESSIONS = "/v1/stores/demo/sessions";
    private static final AtomicInteger STRETCH = new AtomicInteger();

    @Inject
    TestClock clock;

    @BeforeEach
    void aStretchOfTimeOfItsOwn() {
        clock.advance(Duration.ofDays(20_000L + 100L * STRETCH.incrementAndGet()));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private void tick() {
        clock.advance(Duration.ofMinutes(1));
    }

    private String open(Map<String, Object> body) {
        String key = newKey();
        api().body(body).when().put(session(key)).then().statusCode(201);
        tick();
        return key;
    }

    private String open() {
        return open(Map.of());
    }

    private String withItems() {
        String key = open();
        add(key, "RKT-1", "19.99", 2);
        tick();
        return key;
    }

    private static ValidatableResponse query(String parameters) {
        return api().when().get(SESSIONS + (parameters.isEmpty() ? "" : "?" + parameters)).then();
    }

    private static List<String> keys(String parameters) {
        return query(parameters).statusCode(200).extract().jsonPath().getList("sessions.key");
    }

    @Test
    void liveSessionsNewestFirstWithTheirSummaries() {
        String first = open(Map.of("landing", "/rockets?utm_source=news", "referrer", "https://search.example/?q=rockets"));
        String second = withItems();
        api().body(Map.of("code", "TEN", "amountOff", 10)).post(session(second) + "/discounts").then().statusCode(200);
        tick();
        String third = open(Map.of("currency", "EUR", "memberId", "ann@example.com"));

        query("").statusCode(200).contentType("application/json")
                .body("sessions.key", contains(third, second, first))
                .body("next", nullValue());

        JsonPath doc = api().get(session(second)).then().statusCode(200).extract().jsonPath();
        Map<String, Object> expected = new HashMap<>();
        expected.put("key", second);
        expected.put("status", "open");
        expected.put("memberId", null);
        expected.put("currency", "USD");
        expected.put("itemCount", 2);
        expected.put("total", 29.98f);
        expected.put("createdAt", doc.getString("createdAt"));
        expected.put("updatedAt", doc.getString("updatedAt"));
        expected.put("expiresAt", doc.getString("expiresAt"));
        expected.put("attribution", Map.of("first", mapOf("landing", "/", "referrer", null)));
        JsonPath listed = query("").extract().jsonPath();
        assertThat(listed.getMap("sessions[1]")).isEqualTo(expected);
        assertThat(listed.getMap("sessions[2].attribution.first"))
                .isEqualTo(mapOf("landing", "/rockets?utm_source=news", "referrer", "https://search.example/?q=rockets"));
        assertThat(listed.getString("sessions[0].memberId")).isEqualTo("ann@example.com");
        assertThat(listed.getString("sessions[0].currency")).isEqualTo("EUR");

        // Only live sessions: once the first has expired, it is no longer listed (nor any deleted one).
        api().delete(session(third)).then().statusCode(204);
        clock.advance(Duration.ofDays(30).minusMinutes(4)); // past the first's expiry, minutes before the second's
        assertThat(keys("")).containsExactly(second);
    }

    @Test
    void eachFilterAndTheirCombinations() {
        String member = "m-" + newKey() + "@example.com";
        String idleCart = withItems();
        String idleEmpty = open();
        String phone = withItems();
        api().body(Map.of("memberId", member)).put(session(phone) + "/member").then().statusCode(200);
        tick();
        clock.advance(Duration.ofHours(2));
        String cart = withItems();
        String empty = open();
        String closed = withItems();
        api().body(Map.of("orderId", "ORDER-7")).post(session(closed) + "/close").then().statusCode(200);
        tick();
        String laptop = withItems();
        api().body(Map.of("memberId", member, "merge", true)).put(session(laptop) + "/member").then().statusCode(200);
        tick(); // the phone is merged into the laptop: both written by one change at one time, so the key decides
        String newer = laptop.compareTo(phone) > 0 ? laptop : phone;
        String older = newer.equals(laptop) ? phone : laptop;

        assertThat(keys("")).containsExactly(newer, older, closed, empty, cart, idleEmpty, idleCart);
        assertThat(keys("status=open")).containsExactly(laptop, empty, cart, idleEmpty, idleCart);
        assertThat(keys("status=closed")).containsExactly(closed);
        assertThat(keys("status=merged")).containsExactly(phone);
        assertThat(keys("hasItems=true")).containsExactly(newer, older, closed, cart, idleCart);
        assertThat(keys("hasItems=false")).containsExactly(empty, idleEmpty);
        assertThat(keys("idleFor=PT1H")).containsExactly(idleEmpty, idleCart);
        assertThat(keys("idleFor=PT0S")).hasSize(7);
        assertThat(keys("idleFor=P1D")).isEmpty();
        assertThat(keys("memberId=" + member)).containsExactly(newer, older);
        assertThat(keys("memberId=" + member + "&status=open")).containsExactly(laptop);
        assertThat(keys("memberId=nobody@example.com")).isEmpty();
        assertThat(keys("status=open&hasItems=true")).containsExactly(laptop, cart, idleCart);
        assertThat(keys("status=open&hasItems=true&idleFor=PT1H")).containsExactly(idleCart);
        assertThat(keys("status=open&hasItems=false&idleFor=PT1H")).containsExactly(idleEmpty);
        assertThat(keys("hasItems=true&idleFor=PT1H&limit=200")).containsExactly(idleCart);
        query("status=merged").body("sessions[0].status", equalTo("merged")).body("sessions[0].memberId", equalTo(member));
    }

    @Test
    void pagesStayStableWhileRowsChange() {
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            made.add(open());
        }
        String s1 = made.get(0), s2 = made.get(1), s3 = made.get(2), s4 = made.get(3), s5 = made.get(4), s6 = made.get(5),
                s7 = made.get(6);

        JsonPath page1 = query("limit=3").statusCode(200).extract().jsonPath();
        assertThat(page1.getList("sessions.key")).containsExactly(s7, s6, s5);
        String cursor = page1.getString("next");
        assertThat(cursor).isNotNull();

        // Meanwhile: one already listed and one not yet listed change (and move to the front); a new one arrives.
        add(s6, "RKT-1", "1.00", 1);
        tick();
        add(s2, "RKT-1", "1.00", 1);
        tick();
        String s8 = open();

        JsonPath page2 = query("limit=3&cursor=" + cursor).statusCode(200).extract().jsonPath();
        assertThat(page2.getList("sessions.key")).containsExactly(s4, s3, s1); // no repeat, no gap among unmoved rows
        assertThat(page2.getString("next")).isNull();

        // Paging one by one through the whole store visits every session once, in order.
        List<String> seen = new ArrayList<>();
        String next = null;
        do {
            JsonPath page = query("limit=1" + (next == null ? "" : "&cursor=" + next)).statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("sessions.key"));
            next = page.getString("next");
        } while (next != null && seen.size() < 20);
        assertThat(seen).containsExactly(s8, s2, s6, s7, s5, s4, s3, s1);

        // A cursor with filters continues with the same filters.
        JsonPath withItems = query("hasItems=true&limit=1").extract().jsonPath();
        assertThat(withItems.getList("sessions.key")).containsExactly(s2);
        assertThat(keys("hasItems=true&limit=1&cursor=" + withItems.getString("next"))).containsExactly(s6);
    }

    @Test
    void theLimitIsOneToTwoHundred() {
        String older = open();
        String newer = open();
        query("limit=1").statusCode(200).body("sessions.key", contains(newer)).body("next", notNullValue());
        query("limit=200").statusCode(200).body("sessions.key", contains(newer, older)).body("next", nullValue());
        for (String bad : List.of("0", "201", "-1", "abc", "", "1.5", "99999999999")) {
            invalid("limit=" + bad, "limit must be an integer from 1 to 200");
        }
    }

    @Test
    void invalidParametersAre400() {
        open();
        invalid("status=pending", "status must be one of open, closed, merged");
        invalid("status=OPEN", "status must be one of open, closed, merged");
        invalid("status=", "status must be one of open, closed, merged");
        invalid("status=open&status=closed", "status must be given at most once");
        invalid("hasItems=yes", "hasItems must be true or false");
        invalid("hasItems=TRUE", "hasItems must be true or false");
        String idle = "idleFor must be an ISO-8601 duration from PT0S to P36500D, such as PT1H";
        invalid("idleFor=1h", idle);
        invalid("idleFor=-PT1H", idle);
        invalid("idleFor=PT99999999999H", idle);
        invalid("memberId=bad!member", "memberId must match ^[A-Za-z0-9_.@-]{1,128}$");
        String cursor = "cursor is not one this service gave out";
        invalid("cursor=!!!", cursor);
        invalid("cursor=" + base64("garbage"), cursor);
        invalid("cursor=" + base64("1:short"), cursor);
        invalid("cursor=" + base64("-5:" + newKey()), cursor);
        invalid("cursor=" + base64("99999999999999999999:" + newKey()), cursor);
        query("cursor=" + base64("1:" + newKey())).statusCode(200).body("sessions", empty()); // well-formed: before everything
        api().when().get("/v1/stores/Demo/sessions").then().statusCode(400).body("type", equalTo("/problems/invalid-request"));
    }

    @Test
    void aKeyReachesOnlyItsOwnStore() {
        String ours = open();
        String theirs = newKey();
        given().header("Authorization", "Bearer rocket-key").contentType("application/json")
                .when().put("/v1/stores/rockets.example/sessions/" + theirs).then().statusCode(201);

        assertThat(keys("")).containsExactly(ours);
        given().header("Authorization", "Bearer rocket-key").when().get("/v1/stores/rockets.example/sessions").then()
                .statusCode(200).body("sessions.key", contains(theirs));

        Map<String, Object> notFound = Map.of("type", "/problems/not-found", "title", "Not found", "status", 404,
                "detail", "no such session");
        assertThat(given().header("Authorization", "Bearer rocket-key").when().get(SESSIONS).then()
                .statusCode(404).contentType("application/problem+json").extract().jsonPath().getMap(""))
                .isEqualTo(notFound);
        assertThat(api().when().get("/v1/stores/rockets.example/sessions?status=open").then()
                .statusCode(404).extract().jsonPath().getMap("")).isEqualTo(notFound);
        given().when().get(SESSIONS).then().statusCode(401).body("type", equalTo("/problems/unauthorized"));
        // The listing's path is a prefix of a session's: a method a session does not have stays 405 there.
        api().when().post(session(ours)).then().statusCode(405).body("type", equalTo("/problems/method-not-allowed"));
        api().when().patch(session(ours)).then().statusCode(405).body("type", equalTo("/problems/method-not-allowed"));
    }

    private static void invalid(String parameters, String detail) {
        Map<String, Object> body = query(parameters).statusCode(400).contentType("application/problem+json")
                .extract().jsonPath().getMap("");
        assertThat(body).as(parameters).isEqualTo(Map.of("type", "/problems/invalid-request", "title", "Invalid request",
                "status", 400, "detail", detail));
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    private static Map<String, Object> mapOf(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> map = new HashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
