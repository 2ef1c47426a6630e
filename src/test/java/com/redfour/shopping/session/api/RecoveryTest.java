package com.redfour.shopping.session.api;

import com.redfour.shopping.session.scan.SessionPurge;
import com.redfour.shopping.session.store.SessionTable;
import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

/** Cart recovery links (contract v1.2): make, preview, restore, list; every refusal, and what goes with the session. */
@QuarkusTest
public class RecoveryTest {

    static final String TOKEN = "^[A-Za-z0-9_-]{22,64}$";

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Inject
    SessionTable table;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aLinkGivesTheCartBackOnAnotherSessionAndTheShopIsTold() {
        String abandoned = cart();
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).post(session(abandoned) + "/discounts").then().statusCode(200);
        api().body(Map.of("note", "gift wrap")).put(session(abandoned) + "/note").then().statusCode(200);
        long version = api().get(session(abandoned)).jsonPath().getLong("version");

        JsonPath link = api().body(Map.of("ttl", "PT2H", "campaign", "abandoned-1h")).post(links(abandoned)).then()
                .statusCode(201).header("Cache-Control", "no-store")
                .body("id", matchesPattern("^[A-Za-z0-9_-]{16}$")).body("token", matchesPattern(TOKEN))
                .body("campaign", equalTo("abandoned-1h")).extract().jsonPath();
        String token = link.getString("token");
        assertThat(link.getString("url")).isEqualTo("https://shop.example/cart/recover/" + token);
        assertThat(Duration.between(Instant.now(), Instant.parse(link.getString("expiresAt"))))
                .isBetween(Duration.ofMinutes(119), Duration.ofHours(2));
        api().get(session(abandoned)).then().body("version", equalTo((int) version)); // not a change

        JsonPath preview = api().get(recovery(token)).then().statusCode(200).header("Cache-Control", "no-store")
                .body("status", equalTo("ready")).body("currency", equalTo("USD"))
                .body("items.sku", contains("RKT-1")).body("items[0].quantity", equalTo(2))
                .body("discounts.code", contains("SPRING10")).body("itemCount", equalTo(2))
                .body("subtotal", equalTo(39.98f)).body("discountTotal", equalTo(4.00f)).body("total", equalTo(35.98f))
                .extract().jsonPath();
        assertThat(preview.getMap("$").keySet()).containsExactlyInAnyOrder("status", "expiresAt", "currency", "items",
                "discounts", "itemCount", "subtotal", "discountTotal", "total");
        assertThat(preview.getString("expiresAt")).isEqualTo(link.getString("expiresAt"));

        String into = newKey();
        JsonPath restored = restore(token, into).statusCode(200).header("ETag", "\"2\"")
                .body("key", equalTo(into)).body("version", equalTo(2)).body("status", equalTo("open"))
                .body("items.sku", contains("RKT-1")).body("items[0].quantity", equalTo(2))
                .body("discounts.code", contains("SPRING10")).body("note", equalTo("gift wrap")).body("total", equalTo(35.98f))
                .body("recoveredFrom.linkId", equalTo(link.getString("id")))
                .body("recoveredFrom.campaign", equalTo("abandoned-1h"))
                .body("logs.entry", hasItem("Restored from a recovery link")).extract().jsonPath();
        assertThat(restored.getString("recoveredFrom.at")).isEqualTo(restored.getString("updatedAt"));
        api().get(session(abandoned)).then().body("status", equalTo("merged")).body("version", equalTo((int) version + 1))
                .body("logs.entry", hasItem("Merged into session " + into + " by recovery link " + link.getString("id")));
        api().get(session(createSession())).then().body("recoveredFrom", nullValue());

        api().get(links(abandoned)).then().statusCode(200).body("links.id", contains(link.getString("id")))
                .body("links[0].usedAt", equalTo(restored.getString("updatedAt")))
                .body("links[0].campaign", equalTo("abandoned-1h")).body("links[0]", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("token")));
        api().get(recovery(token)).then().statusCode(200).body("status", equalTo("used")).body("items.size()", equalTo(0))
                .body("currency", nullValue()).body("total", equalTo(0.0f));
        problem(restore(token, newKey()), 410, "recovery-link-used");

        List<Map<String, Object>> events = api().queryParam("session", into).get("/v1/stores/demo/events").jsonPath().getList("events");
        assertThat(events).extracting(e -> e.get("type")).containsExactly("session.created", "session.recovered");
        assertThat(events.get(1)).containsEntry("version", 2)
                .containsEntry("data", Map.of("linkId", link.getString("id"), "campaign", "abandoned-1h", "lines", 1));
        List<Map<String, Object>> merged = api().queryParam("session", abandoned).queryParam("types", "session.merged")
                .get("/v1/stores/demo/events").jsonPath().getList("events");
        assertThat(merged).singleElement().satisfies(e -> assertThat(e.get("data")).isEqualTo(Map.of("into", into)));
    }

    @Test
    void intoAnExistingCartLinesAreSummedAndItsOwnNoteAndAttributesWin() {
        String abandoned = cart();
        add(abandoned, "RKT-2", "5.00", 998);
        api().body(Map.of("note", "old note")).put(session(abandoned) + "/note").then().statusCode(200);
        attributes(abandoned, "{\"channel\":\"mail\",\"gift\":\"yes\"}");
        String token = newLink(abandoned, Map.of());

        String into = createSession();
        add(into, "RKT-2", "5.00", 3);
        api().body(Map.of("note", "new note")).put(session(into) + "/note").then().statusCode(200);
        attributes(into, "{\"channel\":\"app\"}");
        restore(token, into).statusCode(200).body("version", equalTo(5))
                .body("items.sku", contains("RKT-2", "RKT-1")).body("items.quantity", contains(999, 2))
                .body("note", equalTo("new note")).body("attributes", equalTo(Map.of("channel", "app", "gift", "yes")))
                .body("recoveredFrom.campaign", nullValue());
    }

    @Test
    void aRetriedRestoreIsReplayedNotRefusedAsUsed() {
        String token = newLink(cart(), Map.of());
        String into = newKey();
        restore(token, into, "restore-1").statusCode(200).header("Idempotent-Replayed", (String) null);
        restore(token, into, "restore-1").statusCode(200).header("Idempotent-Replayed", "true").body("version", equalTo(2));
        problem(restore(newLink(cart(), Map.of()), into, "restore-1"), 422, "idempotency-key-reused");
        assertThat(api().get(session(into)).jsonPath().getLong("version")).isEqualTo(2);
    }

    @Test
    void unknownAlteredMalformedAndForeignTokensAreNotFoundAndChangeNothing() {
        String abandoned = cart();
        String token = newLink(abandoned, Map.of());
        char last = token.charAt(token.length() - 1);
        String altered = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
        String into = newKey();
        for (String bad : List.of(altered, "A".repeat(32), "short", "has*star-and-more-than-22")) {
            problem(api().get(recovery(bad)).then(), 404, "not-found");
            problem(restore(bad, into), 404, "not-found");
        }
        var rocket = given().header("Authorization", "Bearer rocket-key").contentType("application/json");
        problem(rocket.get("/v1/stores/rockets.example/recovery/" + token).then(), 404, "not-found");
        problem(given().header("Authorization", "Bearer rocket-key").contentType("application/json")
                .body(Map.of("into", into)).post("/v1/stores/rockets.example/recovery/" + token + "/restore").then(), 404, "not-found");
        problem(rocket.get("/v1/stores/demo/recovery/" + token).then(), 404, "not-found");
        problem(api().get(session(into)).then(), 404, "not-found");
        api().get(recovery(token)).then().body("status", equalTo("ready"));
        api().get(session(abandoned)).then().body("status", equalTo("open")).body("version", equalTo(2));
    }

    @Test
    void expiredLinksAndLinksOfGoneSessionsReadAsExpired() {
        String abandoned = cart();
        String token = newLink(abandoned, Map.of("ttl", "PT1H"));
        String longer = newLink(abandoned, Map.of());
        clock.advance(Duration.ofMinutes(61));
        api().get(recovery(token)).then().body("status", equalTo("expired")).body("items.size()", equalTo(0));
        problem(restore(token, newKey()), 410, "recovery-link-expired");
        api().get(recovery(longer)).then().body("status", equalTo("ready"));
        clock.advance(Duration.ofDays(31)); // the session expired (not purged yet)
        api().get(recovery(longer)).then().body("status", equalTo("expired")).body("currency", nullValue());
        problem(restore(longer, newKey()), 410, "recovery-link-expired");
        problem(api().get(links(abandoned)).then(), 410, "session-expired");
    }

    @Test
    void aClosedSessionsLinkReadsAsUsed() {
        String abandoned = cart();
        String token = newLink(abandoned, Map.of());
        api().post(session(abandoned) + "/close").then().statusCode(200);
        api().get(recovery(token)).then().body("status", equalTo("used")).body("items.size()", equalTo(0));
        problem(restore(token, newKey()), 410, "recovery-link-used");
    }

    @Test
    void onlyAnOpenSessionWithLinesHasACartToRecover() {
        problem(api().post(links(createSession())).then(), 409, "nothing-to-recover");
        String closed = cart();
        api().post(session(closed) + "/close").then().statusCode(200);
        problem(api().post(links(closed)).then(), 409, "nothing-to-recover");
        problem(api().post(links(newKey())).then(), 404, "not-found");

        String emptied = cart();
        String token = newLink(emptied, Map.of());
        api().delete(session(emptied) + "/items").then().statusCode(200);
        String into = newKey();
        problem(restore(token, into), 409, "nothing-to-recover");
        problem(api().get(session(into)).then(), 404, "not-found");
        assertThat(linkRow(token)).contains("used=null");
    }

    @Test
    void atMostTenUnexpiredLinksPerSession() {
        String abandoned = cart();
        for (int i = 0; i < 9; i++) {
            newLink(abandoned, Map.of());
        }
        String shortLived = newLink(abandoned, Map.of("ttl", "PT1H"));
        problem(api().post(links(abandoned)).then(), 409, "too-many-links");
        assertThat(api().get(links(abandoned)).jsonPath().getList("links")).hasSize(10);
        clock.advance(Duration.ofMinutes(61)); // one expired: room for one more, and the expired one is dropped
        newLink(abandoned, Map.of());
        problem(api().post(links(abandoned)).then(), 409, "too-many-links");
        assertThat(api().get(links(abandoned)).jsonPath().getList("links")).hasSize(10);
        problem(api().get(recovery(shortLived)).then(), 404, "not-found");
    }

    @Test
    void badTtlCampaignAndIntoAreRefusedAndChangeNothing() {
        String abandoned = cart();
        for (String ttl : List.of("PT59M", "P31D", "P1W", "a week", "")) {
            problem(api().body(Map.of("ttl", ttl)).post(links(abandoned)).then(), 422, "validation-failed")
                    .body("errors[0].field", equalTo("ttl"));
        }
        problem(api().body(Map.of("campaign", "spring sale!")).post(links(abandoned)).then(), 422, "validation-failed")
                .body("errors[0].field", equalTo("campaign"));
        problem(api().body(Map.of("campaign", "c".repeat(65))).post(links(abandoned)).then(), 422, "validation-failed");
        problem(api().body("{\"ttl\": 7}").post(links(abandoned)).then(), 400, "invalid-request");
        problem(api().body("{\"ttl\": \"P1D\", \"extra\": 1}").post(links(abandoned)).then(), 422, "validation-failed");
        assertThat(api().get(links(abandoned)).jsonPath().getList("links")).isEmpty();

        String token = newLink(abandoned, Map.of());
        problem(api().body(Map.of()).post(restorePath(token)).then(), 422, "validation-failed").body("errors[0].field", equalTo("into"));
        problem(api().body(Map.of("into", "too-short")).post(restorePath(token)).then(), 422, "validation-failed");
        problem(api().post(restorePath(token)).then(), 400, "invalid-request");
        problem(api().body("{\"into\": 5}").post(restorePath(token)).then(), 400, "invalid-request");
        problem(restore(token, abandoned), 422, "validation-failed").body("errors[0].field", equalTo("into"));
        String closed = cart();
        api().post(session(closed) + "/close").then().statusCode(200);
        problem(restore(token, closed), 409, "session-closed");
        String euros = newKey();
        api().body(Map.of("currency", "EUR")).put(session(euros)).then().statusCode(201);
        problem(restore(token, euros), 422, "validation-failed").body("errors[0].field", equalTo("into"));
        problem(api().header("If-Match", "\"1\"").body(Map.of("into", newKey())).post(restorePath(token)).then(), 412, "precondition-failed");
        api().get(session(abandoned)).then().body("status", equalTo("open")).body("version", equalTo(2));
        api().get(session(euros)).then().body("version", equalTo(1));
        api().get(recovery(token)).then().body("status", equalTo("ready"));
    }

    @Test
    void readingAPreviewChangesNothingAnywhere() {
        String abandoned = cart();
        String token = newLink(abandoned, Map.of());
        String used = newLink(cart(), Map.of());
        restore(used, newKey()).statusCode(200);
        for (String link : List.of(token, used)) {
            String key = abandonedOf(link);
            String before = rows(key);
            for (int i = 0; i < 3; i++) {
                api().get(recovery(link)).then().statusCode(200);
            }
            assertThat(rows(key)).isEqualTo(before);
        }
    }

    @Test
    void linksGoWithTheirSessionOnDeleteOnANewLifeAndOnPurge() {
        String deleted = cart();
        String token = newLink(deleted, Map.of());
        api().delete(session(deleted)).then().statusCode(204);
        assertThat(linkCount(deleted)).isZero();
        problem(api().get(recovery(token)).then(), 404, "not-found");

        String reborn = cart();
        String old = newLink(reborn, Map.of());
        String purged = cart();
        String gone = newLink(purged, Map.of());
        clock.advance(Duration.ofDays(31));
        api().put(session(reborn)).then().statusCode(201); // a new life of the key, over the expired row
        assertThat(linkCount(reborn)).isZero();
        problem(api().get(recovery(old)).then(), 404, "not-found");

        api().get(recovery(gone)).then().body("status", equalTo("expired"));
        new SessionPurge(table, pool, clock, 1000, Duration.ofDays(7), Duration.ofDays(0)).purge().await().atMost(Duration.ofSeconds(30));
        assertThat(linkCount(purged)).isZero();
        problem(api().get(recovery(gone)).then(), 404, "not-found");
    }

    @Test
    void aRestoreRacingChangesToTheRecoveredCartLosesNoLineAndDoublesNone() throws Exception {
        for (int round = 0; round < 5; round++) {
            String abandoned = cart();
            String token = newLink(abandoned, Map.of());
            String into = newKey();
            List<java.util.concurrent.CompletableFuture<io.restassured.response.Response>> adds = new ArrayList<>();
            var restoring = java.util.concurrent.CompletableFuture.supplyAsync(() -> restore(token, into).extract().statusCode());
            for (int i = 0; i < 8; i++) {
                adds.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> api()
                        .body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 19.99, "quantity", 1))
                        .post(session(abandoned) + "/items")));
            }
            assertThat(restoring.get()).isEqualTo(200);
            long accepted = 0;
            for (var add : adds) {
                io.restassured.response.Response answer = add.get();
                if (answer.statusCode() == 200) {
                    accepted++;
                } else { // after the restore, the recovered session is merged: that refusal and no other
                    problem(answer.then(), 409, "session-closed");
                }
            }
            JsonPath source = api().get(session(abandoned)).jsonPath();
            JsonPath target = api().get(session(into)).jsonPath();
            assertThat(source.getString("status")).isEqualTo("merged");
            assertThat(target.getInt("items[0].quantity")).as("round " + round).isEqualTo(2 + accepted);
            assertThat(source.getInt("items[0].quantity")).isEqualTo(2 + accepted);
        }
    }

    @Test
    void twoRestoresOfOneLinkRacingExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            String token = newLink(cart(), Map.of());
            List<String> intos = List.of(newKey(), newKey(), newKey());
            List<java.util.concurrent.CompletableFuture<Integer>> racing = intos.stream()
                    .map(into -> java.util.concurrent.CompletableFuture.supplyAsync(() -> restore(token, into).extract().statusCode()))
                    .toList();
            List<Integer> statuses = new ArrayList<>();
            for (var r : racing) {
                statuses.add(r.get());
            }
            assertThat(statuses).as("round " + round).containsExactlyInAnyOrder(200, 410, 410);
            String winner = intos.get(statuses.indexOf(200));
            for (String into : intos) {
                if (into.equals(winner)) {
                    api().get(session(into)).then().body("items[0].quantity", equalTo(2));
                } else {
                    problem(api().get(session(into)).then(), 404, "not-found");
                }
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------

    /** A session with one line (RKT-1 x2 at 19.99), at version 2. */
    private static String cart() {
        String key = createSession();
        add(key, "RKT-1", "19.99", 2);
        return key;
    }

    private static String links(String key) {
        return session(key) + "/recovery-links";
    }

    private static String recovery(String token) {
        return "/v1/stores/demo/recovery/" + token;
    }

    private static String restorePath(String token) {
        return recovery(token) + "/restore";
    }

    private static String newLink(String key, Map<String, Object> body) {
        return api().body(body).post(links(key)).then().statusCode(201).extract().jsonPath().getString("token");
    }

    private static ValidatableResponse restore(String token, String into) {
        return api().body(Map.of("into", into)).post(restorePath(token)).then();
    }

    private static ValidatableResponse restore(String token, String into, String idempotencyKey) {
        return api().header("Idempotency-Key", idempotencyKey).body(Map.of("into", into)).post(restorePath(token)).then();
    }

    private static void attributes(String key, String patch) {
        api().contentType("application/merge-patch+json").body(patch).patch(session(key) + "/attributes").then().statusCode(200);
    }

    static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("/problems/" + type)).body("status", equalTo(status));
    }

    private String abandonedOf(String token) {
        return query("SELECT session_key FROM recovery_link WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", token);
    }

    private String linkRow(String token) {
        return query("SELECT 'used=' || coalesce(used_at::text, 'null') FROM recovery_link"
                + " WHERE token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex')", token);
    }

    /** Everything stored of a session and its links, as text: the row, its log, its events and its links. */
    private String rows(String key) {
        return query("SELECT (SELECT row_to_json(s)::text FROM session s WHERE store = 'demo' AND key = $1)"
                + " || (SELECT coalesce(string_agg(row_to_json(l)::text, ',' ORDER BY chunk), '') FROM session_log l WHERE store = 'demo' AND key = $1)"
                + " || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM session_event WHERE store = 'demo' AND session_key = $1)"
                + " || (SELECT coalesce(string_agg(row_to_json(r)::text, ',' ORDER BY id), '') FROM recovery_link r WHERE store = 'demo' AND session_key = $1)",
                key);
    }

    private long linkCount(String key) {
        return Long.parseLong(query("SELECT count(*)::text FROM recovery_link WHERE store = 'demo' AND session_key = $1", key));
    }

    private String query(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getString(0);
    }
}
