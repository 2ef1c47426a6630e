package com.redfour.shopping.event;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.hamcrest.Matchers.equalTo;

/** Every written change records exactly one event, read back a page at a time. */
@QuarkusTest
public class EventsTest {

    private static final String EVENTS = "/v1/stores/demo/events";

    @TestHTTPResource("/")
    URI base;

    static JsonPath eventsOf(String key) {
        return api().queryParam("session", key).queryParam("limit", 500).get(EVENTS)
                .then().statusCode(200).contentType("application/json").extract().jsonPath();
    }

    static List<String> typesOf(String key) {
        return eventsOf(key).getList("events.type");
    }

    private static long version(io.restassured.response.Response response) {
        return response.then().extract().jsonPath().getLong("version");
    }

    @Test
    void everyWrittenChangeIsOneEventWithItsTypeVersionAndData() {
        String key = newKey();
        String path = session(key);
        api().body(Map.of("landing", "/rockets?utm_source=news", "referrer", "https://search.example/")).put(path)
                .then().statusCode(201);
        add(key, "RKT-1", "19.99", 2);
        add(key, "RKT-1", "19.99", 1);
        api().body(Map.of("quantity", 5)).patch(path + "/items/RKT-1").then().statusCode(200);
        add(key, "FUEL", "5.00", 1);
        api().delete(path + "/items/FUEL").then().statusCode(200);
        api().body(Map.of("quantity", 0)).patch(path + "/items/RKT-1").then().statusCode(200);
        add(key, "RKT-2", "10.00", 3);
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).post(path + "/discounts").then().statusCode(200);
        // applying a code already applied changes nothing: no event
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).post(path + "/discounts").then().statusCode(200);
        api().delete(path + "/discounts/SPRING10").then().statusCode(200);
        api().body(Map.of("code", "FIVE", "amountOff", 5)).post(path + "/discounts").then().statusCode(200);
        api().body(Map.of("memberId", "m-events@example.com")).put(path + "/member").then().statusCode(200);
        api().delete(path + "/member").then().statusCode(200);
        api().body(Map.of("entry", "Viewed the launch pad")).post(path + "/logs").then().statusCode(200);
        // refused: no event (even though the negative price is logged)
        api().body(Map.of("sku", "BAD", "name", "Bad", "price", -1)).post(path + "/items").then().statusCode(422);
        api().body(Map.of("quantity", 1)).patch(path + "/items/NOPE").then().statusCode(404);
        // an idempotent replay: no event
        api().header("Idempotency-Key", "events-once").body(Map.of("entry", "Once")).post(path + "/logs").then().statusCode(200);
        api().header("Idempotency-Key", "events-once").body(Map.of("entry", "Once")).post(path + "/logs")
                .then().statusCode(200).header("Idempotent-Replayed", "true");
        api().delete(path + "/items").then().statusCode(200);
        long closedAt = version(api().body(Map.of("orderId", "order-1")).post(path + "/close"));

        JsonPath events = eventsOf(key);
        assertThat(events.getList("events.type", String.class)).containsExactly(
                "session.created", "item.selected", "item.selected", "item.quantity-changed", "item.selected",
                "item.removed", "item.removed", "item.selected", "discount.applied", "discount.removed",
                "discount.applied", "member.signed-in", "member.signed-out", "activity.recorded", "activity.recorded",
                "items.cleared", "session.closed");
        // each event carries the version its change wrote; the logged refusal took version 16
        assertThat(events.getList("events.version", Long.class)).containsExactly(
                1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 16L, 17L, closedAt);
        assertThat(events.getList("events.sessionKey", String.class)).containsOnly(key);
        assertThat(events.getList("events.store", String.class)).containsOnly("demo");

        assertThat(events.getMap("events[0].data")).containsExactly(entry("landing", "/rockets?utm_source=news"),
                entry("referrer", "https://search.example/"), entry("memberId", null), entry("currency", "USD"));
        String line = events.getString("events[1].data.lineId");
        assertThat(events.getMap("events[2].data")).containsExactly(entry("lineId", line), entry("sku", "RKT-1"),
                entry("name", "Item RKT-1"), entry("price", 19.99f), entry("quantity", 1), entry("lineQuantity", 3),
                entry("attributes", Map.of()));
        assertThat(events.getMap("events[3].data")).containsExactly(entry("lineId", line), entry("sku", "RKT-1"),
                entry("quantity", 5));
        assertThat(events.getMap("events[6].data")).containsExactly(entry("lineId", line), entry("sku", "RKT-1"));
        assertThat(events.getMap("events[8].data")).containsExactly(entry("code", "SPRING10"), entry("percentOff", 10));
        assertThat(events.getMap("events[10].data")).containsExactly(entry("code", "FIVE"), entry("amountOff", 5.00f));
        assertThat(events.getMap("events[11].data")).containsExactly(entry("memberId", "m-events@example.com"),
                entry("mergedFrom", null));
        assertThat(events.getMap("events[13].data")).containsExactly(entry("entry", "Viewed the launch pad"));
        assertThat(events.getMap("events[16].data")).containsExactly(entry("orderId", "order-1"));

        // the summary is the session as of that version: 3 x 10.00, 10 % off
        assertThat(events.getMap("events[8].session")).containsExactly(entry("status", "open"),
                entry("memberId", null), entry("currency", "USD"), entry("itemCount", 3),
                entry("subtotal", 30.00f), entry("discountTotal", 3.00f), entry("total", 27.00f));
        assertThat(events.getString("events[16].session.status")).isEqualTo("closed");

        // ids are 20 digits, increasing; the event time is the session's update time
        List<String> ids = events.getList("events.id");
        assertThat(ids).allMatch(id -> id.matches("^[0-9]{20}$")).isSorted().doesNotHaveDuplicates();
        String updatedAt = api().get(path).then().statusCode(200).extract().jsonPath().getString("updatedAt");
        assertThat(events.getString("events[16].at")).isEqualTo(updatedAt);
        assertThat(events.getString("next")).isEqualTo(ids.get(ids.size() - 1));
    }

    @Test
    void theChangesOfRicherCartsAreToldToo() {
        String key = createSession();
        String path = session(key);
        api().body(Map.of("sku", "MUG", "name", "Mug", "price", 9.5, "quantity", 1, "attributes", Map.of("engraving", "Ada")))
                .post(path + "/items").then().statusCode(200);
        JsonPath afterAdd = eventsOf(key);
        String line = afterAdd.getString("events[1].data.lineId");
        assertThat(afterAdd.getMap("events[1].data.attributes")).containsExactly(entry("engraving", "Ada"));
        api().body(Map.of("quantity", 2)).patch(path + "/lines/" + line).then().statusCode(200);
        api().body(Map.of("note", "Gift wrap, please")).put(path + "/note").then().statusCode(200);
        api().delete(path + "/note").then().statusCode(200);
        api().contentType("application/merge-patch+json").body("{\"channel\":\"app\",\"ab\":\"b\"}")
                .patch(path + "/attributes").then().statusCode(200);
        api().contentType("application/merge-patch+json").body("{\"ab\":null}").patch(path + "/attributes")
                .then().statusCode(200);
        api().body(Map.of("landing", "/sale?utm_source=mail&utm_campaign=winter&gclid=abc", "referrer", "https://mail.example/"))
                .post(path + "/touches").then().statusCode(200);
        api().delete(path + "/lines/" + line).then().statusCode(200);

        JsonPath events = eventsOf(key);
        assertThat(events.getList("events.type", String.class)).containsExactly("session.created", "item.selected",
                "item.quantity-changed", "note.changed", "note.changed", "attributes.changed", "attributes.changed",
                "session.touched", "item.removed");
        assertThat(events.getMap("events[2].data")).containsExactly(entry("lineId", line), entry("sku", "MUG"), entry("quantity", 2));
        assertThat(events.getMap("events[3].data")).containsExactly(entry("note", "Gift wrap, please"));
        assertThat(events.getMap("events[4].data")).containsExactly(entry("note", null));
        assertThat(events.getMap("events[5].data")).containsExactly(entry("set", Map.of("ab", "b", "channel", "app")),
                entry("removed", List.of()), entry("attributes", Map.of("ab", "b", "channel", "app")));
        assertThat(events.getMap("events[6].data")).containsExactly(entry("set", Map.of()), entry("removed", List.of("ab")),
                entry("attributes", Map.of("channel", "app")));
        assertThat(events.getString("events[7].data.landing")).isEqualTo("/sale?utm_source=mail&utm_campaign=winter&gclid=abc");
        assertThat(events.getString("events[7].data.utm.source")).isEqualTo("mail");
        assertThat(events.getString("events[7].data.utm.campaign")).isEqualTo("winter");
        assertThat(events.getString("events[7].data.clickId")).isEqualTo("abc");
        assertThat(events.getInt("events[7].data.touches")).isEqualTo(2);
        assertThat(events.getMap("events[8].data")).containsExactly(entry("lineId", line), entry("sku", "MUG"));
    }

    @Test
    void moneyIsWrittenWithTwoDecimals() {
        String key = createSession();
        add(key, "RKT-1", "20", 1);
        String body = api().queryParam("session", key).queryParam("types", "item.selected").get(EVENTS)
                .then().statusCode(200).extract().asString();
        assertThat(body).contains("\"price\":20.00", "\"subtotal\":20.00", "\"discountTotal\":0.00", "\"total\":20.00");
    }

    @Test
    void aDeleteIsAnEventAndAMergeIsOneOnEachSession() {
        String gone = createSession();
        api().delete(session(gone)).then().statusCode(204);
        assertThat(typesOf(gone)).containsExactly("session.created", "session.deleted");
        assertThat(eventsOf(gone).getLong("events[1].version")).isEqualTo(2);

        String member = "m-merge-" + newKey() + "@example.com";
        String source = createSession();
        add(source, "RKT-1", "19.99", 1);
        api().body(Map.of("memberId", member)).put(session(source) + "/member").then().statusCode(200);
        String target = createSession();
        api().body(Map.of("memberId", member, "merge", true)).put(session(target) + "/member").then().statusCode(200);

        JsonPath merged = eventsOf(source);
        assertThat(merged.getList("events.type", String.class))
                .containsExactly("session.created", "item.selected", "member.signed-in", "session.merged");
        assertThat(merged.getMap("events[3].data")).containsExactly(entry("into", target));
        assertThat(merged.getString("events[3].session.status")).isEqualTo("merged");
        JsonPath signedIn = eventsOf(target);
        assertThat(signedIn.getList("events.type", String.class)).containsExactly("session.created", "member.signed-in");
        assertThat(signedIn.getMap("events[1].data")).containsExactly(entry("memberId", member), entry("mergedFrom", source));
        assertThat(signedIn.getInt("events[1].session.itemCount")).isEqualTo(1);
        // one transaction: the two events are neighbours in id order
        assertThat(Long.parseLong(merged.getString("events[3].id")) - Long.parseLong(signedIn.getString("events[1].id")))
                .isEqualTo(1);
    }

    @Test
    void pagesFollowOneAnotherWithoutGapsOrRepeats() {
        String key = createSession();
        for (int i = 0; i < 6; i++) {
            api().body(Map.of("entry", "step " + i)).post(session(key) + "/logs").then().statusCode(200);
        }
        List<String> all = eventsOf(key).getList("events.id");
        assertThat(all).hasSize(7);
        String after = null;
        List<String> paged = new java.util.ArrayList<>();
        for (int page = 0; page < 4; page++) {
            var request = api().queryParam("session", key).queryParam("limit", 2);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath body = request.get(EVENTS).then().statusCode(200).extract().jsonPath();
            paged.addAll(body.getList("events.id"));
            after = body.getString("next");
        }
        assertThat(paged).isEqualTo(all);
        // past the end: nothing, and next stays where it was
        api().queryParam("session", key).queryParam("after", after).get(EVENTS).then().statusCode(200)
                .body("events.size()", equalTo(0)).body("next", equalTo(after));
        // a type filter
        assertThat(api().queryParam("session", key).queryParam("types", "activity.recorded,session.created").get(EVENTS)
                .then().statusCode(200).extract().jsonPath().getList("events.type", String.class))
                .containsExactly("session.created", "activity.recorded", "activity.recorded", "activity.recorded",
                        "activity.recorded", "activity.recorded", "activity.recorded");
    }

    @Test
    void badParametersAreNamedAndAnotherStoresEventsAreNotFound() {
        for (Map.Entry<String, String> bad : Map.of(
                "after", "12x", "limit", "0", "types", "item.selected,nope", "session", "short").entrySet()) {
            api().queryParam(bad.getKey(), bad.getValue()).get(EVENTS).then().statusCode(400)
                    .contentType("application/problem+json").body("type", equalTo("/problems/invalid-request"));
        }
        api().queryParam("limit", "501").get(EVENTS).then().statusCode(400);
        api().queryParam("after", "123456789012345678901").get(EVENTS).then().statusCode(400);
        given().header("Authorization", "Bearer rocket-key").get(EVENTS).then().statusCode(404)
                .body("type", equalTo("/problems/not-found"));
        given().get(EVENTS).then().statusCode(401);
    }
}
