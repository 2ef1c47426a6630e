package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The v1.1 "Richer carts" contract through HTTP: line ids and attributes, note, attributes, touches, warnings. */
@QuarkusTest
public class RicherCartsTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String MERGE_PATCH = "application/merge-patch+json";

    private static Map<String, Object> item(String sku, String price, int quantity, Map<String, String> attributes) {
        Map<String, Object> body = new HashMap<>(Map.of("sku", sku, "name", "Item " + sku, "price", new BigDecimal(price),
                "quantity", quantity));
        if (attributes != null) {
            body.put("attributes", attributes);
        }
        return body;
    }

    private static ValidatableResponse post(String key, Map<String, Object> item) {
        return api().body(item).post(session(key) + "/items").then();
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType(PROBLEM)
                .body("type", equalTo("/problems/" + type))
                .body("status", equalTo(status))
                .body(not(containsString("Exception")));
    }

    // --- lines: identity, ids, the line endpoints ------------------------------------------------

    @Test
    void theSameAttributesMergeAndDifferentOnesSplit() {
        String key = createSession();
        post(key, item("RKT-1", "19.99", 1, Map.of("engraving", "For Ada"))).statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].lineId", equalTo("l1"))
                .body("items[0].attributes", equalTo(Map.of("engraving", "For Ada")));
        post(key, item("RKT-1", "19.99", 2, Map.of("engraving", "For Ada"))).statusCode(200)
                .body("items", hasSize(1)).body("items[0].quantity", equalTo(3));
        post(key, item("RKT-1", "19.99", 1, Map.of("engraving", "For Bob"))).statusCode(200)
                .body("items", hasSize(2)).body("items[1].lineId", equalTo("l2"));
        post(key, item("RKT-1", "19.99", 1, null)).statusCode(200)
                .body("items", hasSize(3))
                .body("items[2].lineId", equalTo("l3"))
                .body("items[2].attributes", equalTo(Map.of()))
                .body("itemCount", equalTo(5))
                .body("subtotal", equalTo(99.95f))
                .body("version", equalTo(5));
        // attributes sent in another order are the same attributes
        post(key, item("GFT-1", "1.00", 1, Map.of("a", "1", "b", "2"))).statusCode(200);
        post(key, item("GFT-1", "1.00", 1, new java.util.TreeMap<>(Map.of("b", "2", "a", "1")).descendingMap()))
                .statusCode(200).body("items", hasSize(4)).body("items[3].quantity", equalTo(2));
    }

    @Test
    void skuEndpointsWorkWhileOneLineHasTheSkuAndAreAmbiguousOtherwise() {
        String key = createSession();
        post(key, item("RKT-1", "1.00", 1, Map.of("engraving", "For Ada"))).statusCode(200);
        api().body(Map.of("quantity", 4)).patch(session(key) + "/items/RKT-1").then().statusCode(200)
                .body("items[0].quantity", equalTo(4)).body("items[0].lineId", equalTo("l1"));
        post(key, item("RKT-1", "1.00", 1, Map.of("engraving", "For Bob"))).statusCode(200);

        problem(api().body(Map.of("quantity", 2)).patch(session(key) + "/items/RKT-1").then(), 409, "ambiguous-line")
                .body("detail", containsString("/lines/"));
        problem(api().delete(session(key) + "/items/RKT-1").then(), 409, "ambiguous-line");
        api().get(session(key)).then().body("version", equalTo(4)).body("items", hasSize(2));

        api().delete(session(key) + "/lines/l1").then().statusCode(200).body("items.lineId", contains("l2"));
        api().delete(session(key) + "/items/RKT-1").then().statusCode(200).body("items", empty());
        problem(api().delete(session(key) + "/items/RKT-1").then(), 404, "not-found");
    }

    @Test
    void lineEndpointsAddressALineByItsId() {
        String key = createSession();
        post(key, item("RKT-1", "2.00", 1, Map.of("wrap", "gold"))).statusCode(200);
        post(key, item("RKT-1", "2.00", 1, Map.of("wrap", "blue"))).statusCode(200);

        api().body(Map.of("quantity", 5)).patch(session(key) + "/lines/l2").then().statusCode(200)
                .header("ETag", "\"4\"")
                .body("items.quantity", contains(1, 5))
                .body("logs.entry", hasItem("Changed RKT-1 (line l2) quantity to 5"));
        api().body(Map.of("quantity", 0)).patch(session(key) + "/lines/l1").then().statusCode(200)
                .body("items.lineId", contains("l2"));
        api().header("If-Match", "\"5\"").delete(session(key) + "/lines/l2").then().statusCode(200)
                .body("items", empty()).body("version", equalTo(6));

        problem(api().body(Map.of("quantity", 1)).patch(session(key) + "/lines/l2").then(), 404, "not-found");
        problem(api().delete(session(key) + "/lines/l9").then(), 404, "not-found");
        problem(api().body(Map.of("quantity", 1000)).patch(session(key) + "/lines/l1").then(), 422, "validation-failed");
        problem(api().body(Map.of("quantity", "1")).patch(session(key) + "/lines/l1").then(), 400, "invalid-request");
        problem(api().patch(session(key) + "/lines/l1").then(), 400, "invalid-request");
        problem(api().delete(session(key) + "/lines/" + "l".repeat(33)).then(), 400, "invalid-request");
        problem(api().delete(session(key) + "/lines/l%2E1").then(), 400, "invalid-request");
        problem(api().delete(session(newKey()) + "/lines/l1").then(), 404, "not-found");
        api().get(session(key)).then().body("version", equalTo(6));
    }

    @Test
    void lineAttributesFollowTheirRules() {
        String key = createSession();
        Map<String, String> eleven = new HashMap<>();
        for (int i = 0; i < 11; i++) {
            eleven.put("k" + i, "v");
        }
        problem(post(key, item("A", "1.00", 1, eleven)), 422, "validation-failed").body("errors[0].field", equalTo("attributes"));
        problem(post(key, item("A", "1.00", 1, Map.of("bad key", "v"))), 422, "validation-failed");
        problem(post(key, item("A", "1.00", 1, Map.of("k".repeat(41), "v"))), 422, "validation-failed");
        problem(post(key, item("A", "1.00", 1, Map.of("k", "v".repeat(201)))), 422, "validation-failed");
        problem(api().body("{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\":1}}").post(session(key) + "/items").then(),
                400, "invalid-request");
        problem(api().body("{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\":{\"x\":\"y\"}}}").post(session(key) + "/items").then(),
                400, "invalid-request");
        problem(api().body("{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":[\"k\"]}").post(session(key) + "/items").then(),
                400, "invalid-request");
        problem(api().body("{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\":null}}").post(session(key) + "/items").then(),
                422, "validation-failed");
        api().get(session(key)).then().body("version", equalTo(1));

        Map<String, String> ten = new HashMap<>();
        for (int i = 0; i < 10; i++) {
            ten.put("k." + i, i == 0 ? "" : "v".repeat(200));
        }
        post(key, item("A", "1.00", 1, ten)).statusCode(200).body("items[0].attributes.size()", equalTo(10));
    }

    @Test
    void signInMergesLinesBySkuAndAttributes() {
        String member = "merge-" + newKey();
        String other = createSession();
        post(other, item("RKT-1", "1.00", 2, Map.of("engraving", "For Ada"))).statusCode(200);
        post(other, item("RKT-1", "1.00", 4, Map.of("engraving", "For Bob"))).statusCode(200);
        post(other, item("RKT-1", "1.00", 1, null)).statusCode(200);
        api().body(Map.of("memberId", member)).put(session(other) + "/member").then().statusCode(200);

        String current = createSession();
        post(current, item("GFT-1", "3.00", 1, null)).statusCode(200);
        post(current, item("RKT-1", "1.00", 1, Map.of("engraving", "For Ada"))).statusCode(200);
        api().body(Map.of("memberId", member, "merge", true)).put(session(current) + "/member").then().statusCode(200)
                .body("items.lineId", contains("l1", "l2", "l3", "l4"))
                .body("items.sku", contains("GFT-1", "RKT-1", "RKT-1", "RKT-1"))
                .body("items.quantity", contains(1, 3, 4, 1))
                .body("items.attributes", contains(Map.of(), Map.of("engraving", "For Ada"), Map.of("engraving", "For Bob"), Map.of()))
                .body("logs.entry", hasItem("Merged session " + other + ": 3 lines, 0 discounts"));
        api().get(session(other)).then().body("status", equalTo("merged"));
        // the merged sku is now on three lines: the v1 sku endpoints cannot tell which
        problem(api().delete(session(current) + "/items/RKT-1").then(), 409, "ambiguous-line");
    }

    // --- price-change warnings -------------------------------------------------------------------

    @Test
    void aPriceChangeIsWarnedOfOnlyInTheResponseThatCausedIt() {
        String key = createSession();
        post(key, item("RKT-1", "19.99", 1, null)).statusCode(200).body("warnings", empty());
        api().header("Idempotency-Key", "dearer").body(item("RKT-1", "21.50", 1, null)).post(session(key) + "/items").then()
                .statusCode(200)
                .body("items[0].price", equalTo(21.50f))
                .body("warnings", hasSize(1))
                .body("warnings[0].type", equalTo("price-changed"))
                .body("warnings[0].lineId", equalTo("l1"))
                .body("warnings[0].sku", equalTo("RKT-1"))
                .body("warnings[0].from", equalTo(19.99f))
                .body("warnings[0].to", equalTo(21.50f))
                .body("logs.entry", hasItem("Price of RKT-1 changed from 19.99 to 21.50"));
        // the replay is answered, not applied: no warning
        api().header("Idempotency-Key", "dearer").body(item("RKT-1", "21.50", 1, null)).post(session(key) + "/items").then()
                .statusCode(200).header("Idempotent-Replayed", "true").body("warnings", empty()).body("items[0].quantity", equalTo(2));
        api().get(session(key)).then().statusCode(200).body("warnings", empty());
        post(key, item("RKT-1", "21.50", 1, null)).statusCode(200).body("warnings", empty());
        api().body(Map.of("entry", "x")).post(session(key) + "/logs").then().statusCode(200).body("warnings", empty());
        // a new line at another price is no change of price
        post(key, item("RKT-1", "5.00", 1, Map.of("engraving", "x"))).statusCode(200).body("warnings", empty());
    }

    // --- note ------------------------------------------------------------------------------------

    @Test
    void theNoteIsSetReplacedAndCleared() {
        String key = createSession();
        api().get(session(key)).then().body("note", nullValue());
        api().body(Map.of("note", "Gift wrap, please")).put(session(key) + "/note").then().statusCode(200)
                .header("ETag", "\"2\"").body("note", equalTo("Gift wrap, please")).body("logs.entry", hasItem("Note set"));
        api().body(Map.of("note", "Gift wrap, please")).put(session(key) + "/note").then().statusCode(200).body("version", equalTo(2));
        api().body(Map.of("note", "n".repeat(1000))).put(session(key) + "/note").then().statusCode(200).body("version", equalTo(3));
        api().delete(session(key) + "/note").then().statusCode(200).body("note", nullValue()).body("version", equalTo(4))
                .body("logs.entry", hasItem("Note cleared"));
        api().delete(session(key) + "/note").then().statusCode(200).body("version", equalTo(4));

        problem(api().body(Map.of("note", "")).put(session(key) + "/note").then(), 422, "validation-failed");
        problem(api().body(Map.of("note", "n".repeat(1001))).put(session(key) + "/note").then(), 422, "validation-failed");
        problem(api().body(Map.of("note", 5)).put(session(key) + "/note").then(), 400, "invalid-request");
        problem(api().body("{}").put(session(key) + "/note").then(), 422, "validation-failed");
        problem(api().put(session(key) + "/note").then(), 400, "invalid-request");
        problem(api().body(Map.of("note", "x", "extra", 1)).put(session(key) + "/note").then(), 422, "validation-failed");
        problem(given().header("Authorization", "Bearer demo-key").contentType("text/plain").body("hello")
                .put(session(key) + "/note").then(), 415, "unsupported-media-type");
        problem(api().body(Map.of("note", "x")).put(session(newKey()) + "/note").then(), 404, "not-found");
        problem(api().header("If-Match", "\"3\"").body(Map.of("note", "x")).put(session(key) + "/note").then(), 412, "precondition-failed");
        api().get(session(key)).then().body("version", equalTo(4));
    }

    @Test
    void theNoteIsIdempotentWithAKey() {
        String key = createSession();
        api().header("Idempotency-Key", "note-1").body(Map.of("note", "a")).put(session(key) + "/note").then().statusCode(200);
        api().body(Map.of("note", "b")).put(session(key) + "/note").then().statusCode(200);
        api().header("Idempotency-Key", "note-1").body(Map.of("note", "a")).put(session(key) + "/note").then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("note", equalTo("b")).body("version", equalTo(3));
        problem(api().header("Idempotency-Key", "note-1").body(Map.of("note", "c")).put(session(key) + "/note").then(),
                422, "idempotency-key-reused");
    }

    // --- session attributes (JSON Merge Patch) ---------------------------------------------------

    @Test
    void attributesArePatchedAsAJsonMergePatch() {
        String key = createSession();
        api().get(session(key)).then().body("attributes", equalTo(Map.of()));
        api().contentType(MERGE_PATCH).body("{\"gift\":\"yes\",\"channel\":\"app\"}").patch(session(key) + "/attributes").then()
                .statusCode(200).header("ETag", "\"2\"")
                .body("attributes", equalTo(Map.of("gift", "yes", "channel", "app")))
                .body("logs.entry", hasItem("Attributes changed: set channel, gift"));
        api().body("{\"gift\":\"no\",\"channel\":null,\"absent\":null}").patch(session(key) + "/attributes").then()
                .statusCode(200).body("attributes", equalTo(Map.of("gift", "no"))).body("version", equalTo(3))
                .body("logs.entry", hasItem("Attributes changed: set gift; removed channel"));
        api().contentType(MERGE_PATCH).body("{\"gift\":\"no\"}").patch(session(key) + "/attributes").then()
                .statusCode(200).body("version", equalTo(3));
        api().contentType(MERGE_PATCH).body("{}").patch(session(key) + "/attributes").then().statusCode(200).body("version", equalTo(3));
    }

    @Test
    void attributesFollowTheirRules() {
        String key = createSession();
        StringBuilder twenty = new StringBuilder("{");
        for (int i = 0; i < 20; i++) {
            twenty.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":\"v\"");
        }
        api().contentType(MERGE_PATCH).body(twenty.append("}").toString()).patch(session(key) + "/attributes").then()
                .statusCode(200).body("attributes.size()", equalTo(20));
        problem(api().contentType(MERGE_PATCH).body("{\"one-more\":\"v\"}").patch(session(key) + "/attributes").then(),
                422, "validation-failed").body("errors[0].field", equalTo("attributes"));
        api().contentType(MERGE_PATCH).body("{\"one-more\":\"v\",\"k0\":null,\"k1\":null}").patch(session(key) + "/attributes").then()
                .statusCode(200).body("attributes.size()", equalTo(19));

        problem(api().contentType(MERGE_PATCH).body("{\"bad key\":\"v\"}").patch(session(key) + "/attributes").then(), 422, "validation-failed");
        problem(api().contentType(MERGE_PATCH).body("{\"bad key\":null}").patch(session(key) + "/attributes").then(), 422, "validation-failed");
        problem(api().contentType(MERGE_PATCH).body("{\"k\":\"" + "v".repeat(201) + "\"}").patch(session(key) + "/attributes").then(),
                422, "validation-failed");
        for (String wrongType : List.of("{\"k\":1}", "{\"k\":true}", "{\"k\":{\"x\":\"y\"}}", "{\"k\":[\"v\"]}", "[]", "\"text\"", "null", "1")) {
            problem(api().contentType(MERGE_PATCH).body(wrongType).patch(session(key) + "/attributes").then(), 400, "invalid-request");
        }
        problem(api().contentType(MERGE_PATCH).body("{\"k\":").patch(session(key) + "/attributes").then(), 400, "invalid-request");
        problem(api().contentType(MERGE_PATCH).body("{\"k\":\"a\",\"k\":\"b\"}").patch(session(key) + "/attributes").then(),
                400, "invalid-request");
        problem(api().contentType(MERGE_PATCH).patch(session(key) + "/attributes").then(), 400, "invalid-request");
        problem(given().header("Authorization", "Bearer demo-key").contentType("text/plain").body("{\"k\":\"v\"}")
                .patch(session(key) + "/attributes").then(), 415, "unsupported-media-type");
        problem(api().contentType(MERGE_PATCH).body("{\"k\":\"v\"}").patch(session(newKey()) + "/attributes").then(), 404, "not-found");
        api().get(session(key)).then().body("version", equalTo(3));
    }

    @Test
    void attributesAreIdempotentWithAKeyWhateverTheKeyOrder() {
        String key = createSession();
        api().header("Idempotency-Key", "attrs-1").contentType(MERGE_PATCH).body("{\"a\":\"1\",\"b\":null}")
                .patch(session(key) + "/attributes").then().statusCode(200).body("version", equalTo(2));
        api().header("Idempotency-Key", "attrs-1").contentType(MERGE_PATCH).body("{\"b\":null, \"a\":\"1\"}")
                .patch(session(key) + "/attributes").then().statusCode(200).header("Idempotent-Replayed", "true").body("version", equalTo(2));
        problem(api().header("Idempotency-Key", "attrs-1").contentType(MERGE_PATCH).body("{\"a\":\"2\"}")
                .patch(session(key) + "/attributes").then(), 422, "idempotency-key-reused");
    }

    // --- attribution -----------------------------------------------------------------------------

    @Test
    void theFirstTouchIsRecordedAtCreationAndReturnsAddLastTouches() {
        String key = newKey();
        String created = api().body(Map.of("landing", "/rockets?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&gclid=G1",
                        "referrer", "https://mail.example/"))
                .put(session(key)).then().statusCode(201)
                .body("attribution.touches", equalTo(1))
                .body("attribution.first.landing", equalTo("/rockets?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&gclid=G1"))
                .body("attribution.first.referrer", equalTo("https://mail.example/"))
                .body("attribution.first.utm.source", equalTo("news"))
                .body("attribution.first.utm.medium", equalTo("email"))
                .body("attribution.first.utm.campaign", equalTo("spring sale"))
                .body("attribution.first.utm.term", nullValue())
                .body("attribution.first.utm.content", nullValue())
                .body("attribution.first.clickId", equalTo("G1"))
                .body("landing", equalTo("/rockets?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&gclid=G1"))
                .extract().jsonPath().getString("createdAt");
        api().get(session(key)).then()
                .body("attribution.first.at", equalTo(created))
                .body("attribution.last", equalTo(api().get(session(key)).jsonPath().getMap("attribution.first")));

        api().body(Map.of("landing", "/sale?utm_source=ads&utm_source=other&fbclid=F1#top", "referrer", "https://social.example/"))
                .post(session(key) + "/touches").then().statusCode(200)
                .header("ETag", "\"2\"")
                .body("attribution.touches", equalTo(2))
                .body("attribution.first.utm.source", equalTo("news"))
                .body("attribution.last.landing", equalTo("/sale?utm_source=ads&utm_source=other&fbclid=F1#top"))
                .body("attribution.last.referrer", equalTo("https://social.example/"))
                .body("attribution.last.utm.source", equalTo("ads"))
                .body("attribution.last.clickId", equalTo("F1"))
                .body("attribution.last.at", notNullValue())
                .body("landing", equalTo("/rockets?utm_source=news&utm_medium=email&utm_campaign=spring%20sale&gclid=G1"))
                .body("logs.entry", hasItem("Returned via /sale?utm_source=ads&utm_source=other&fbclid=F1#top"));

        // a malformed URL is stored as given and carries no tags
        api().body(Map.of("landing", "/p?utm_source=%ZZ bad")).post(session(key) + "/touches").then().statusCode(200)
                .body("attribution.touches", equalTo(3))
                .body("attribution.last.landing", equalTo("/p?utm_source=%ZZ bad"))
                .body("attribution.last.referrer", nullValue())
                .body("attribution.last.utm.source", nullValue())
                .body("attribution.last.clickId", nullValue());
        api().body("{}").post(session(key) + "/touches").then().statusCode(200)
                .body("attribution.touches", equalTo(4)).body("attribution.last.landing", equalTo("/"));
    }

    @Test
    void touchesFollowTheRulesOfEveryChange() {
        String key = createSession();
        problem(api().body(Map.of("landing", "x".repeat(2049))).post(session(key) + "/touches").then(), 422, "validation-failed");
        problem(api().body(Map.of("referrer", "x".repeat(2049))).post(session(key) + "/touches").then(), 422, "validation-failed");
        problem(api().body(Map.of("landing", 1)).post(session(key) + "/touches").then(), 400, "invalid-request");
        problem(api().body(Map.of("landing", "/", "ip", "1.2.3.4")).post(session(key) + "/touches").then(), 422, "validation-failed");
        problem(api().post(session(key) + "/touches").then(), 400, "invalid-request");
        problem(api().body(Map.of("landing", "/")).post(session(newKey()) + "/touches").then(), 404, "not-found");
        api().header("Idempotency-Key", "t-1").body(Map.of("landing", "/a")).post(session(key) + "/touches").then().statusCode(200);
        api().header("Idempotency-Key", "t-1").body(Map.of("landing", "/a")).post(session(key) + "/touches").then().statusCode(200)
                .header("Idempotent-Replayed", "true").body("attribution.touches", equalTo(2));
        api().body(Map.of("orderId", "o-1")).post(session(key) + "/close").then().statusCode(200);
        problem(api().body(Map.of("landing", "/b")).post(session(key) + "/touches").then(), 409, "session-closed");
        problem(api().body(Map.of("note", "n")).put(session(key) + "/note").then(), 409, "session-closed");
        problem(api().contentType(MERGE_PATCH).body("{\"a\":\"b\"}").patch(session(key) + "/attributes").then(), 409, "session-closed");
        problem(api().delete(session(key) + "/lines/l1").then(), 409, "session-closed");
    }
}
