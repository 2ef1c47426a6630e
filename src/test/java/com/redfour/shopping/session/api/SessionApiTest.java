package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.Map;
import java.util.stream.IntStream;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The HTTP contract, endpoint by endpoint: success paths and every error the contract lists. */
@QuarkusTest
public class SessionApiTest {

    private static final String PROBLEM = "application/problem+json";

    private static Map<String, Object> item(String sku, String price, int quantity) {
        return Map.of("sku", sku, "name", "Item " + sku, "price", new BigDecimal(price), "quantity", quantity);
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType(PROBLEM)
                .body("type", equalTo("/problems/" + type))
                .body("status", equalTo(status))
                .body("title", notNullValue())
                .body(not(containsString("Exception")))
                .body(not(containsString("at com.")));
    }

    // --- PUT / GET / DELETE the session ------------------------------------------------------

    @Test
    void createAnswers201WithLocationETagAndDefaults() {
        String key = newKey();
        api().when().put(session(key)).then()
                .statusCode(201)
                .header("Location", endsWith(session(key)))
                .header("ETag", "\"1\"")
                .body("store", equalTo("demo"))
                .body("key", equalTo(key))
                .body("version", equalTo(1))
                .body("status", equalTo("open"))
                .body("currency", equalTo("USD"))
                .body("landing", equalTo("/"))
                .body("referrer", nullValue())
                .body("ip", equalTo("127.0.0.1"))
                .body("memberId", nullValue())
                .body("items", empty())
                .body("discounts", empty())
                .body("itemCount", equalTo(0))
                .body("logs.entry", contains("Session created"))
                .body("createdAt", equalTo(api().get(session(key)).jsonPath().getString("updatedAt")));
    }

    @Test
    void createTakesWhatTheStorefrontKnows() {
        String key = newKey();
        api().body(Map.of("landing", "/rockets/falcon", "referrer", "https://search.example/?q=rockets",
                        "ip", "203.0.113.9", "memberId", "ann@example.com", "currency", "EUR"))
                .when().put(session(key)).then()
                .statusCode(201)
                .body("landing", equalTo("/rockets/falcon"))
                .body("referrer", equalTo("https://search.example/?q=rockets"))
                .body("ip", equalTo("203.0.113.9"))
                .body("memberId", equalTo("ann@example.com"))
                .body("currency", equalTo("EUR"));
    }

    @Test
    void createTakesTheClientAddressFromTheFirstForwardedHop() {
        api().header("X-Forwarded-For", "198.51.100.7, 10.0.0.1").when().put(session(newKey())).then()
                .statusCode(201).body("ip", equalTo("198.51.100.7"));
    }

    @Test
    void aForwardedHopThatIsNotAnAddressIsIgnored() {
        api().header("X-Forwarded-For", "<script>alert(1)</script>").when().put(session(newKey())).then()
                .statusCode(201).body("ip", equalTo("127.0.0.1"));
        api().header("X-Forwarded-For", "2001:db8::7").when().put(session(newKey())).then()
                .statusCode(201).body("ip", equalTo("2001:db8::7"));
    }

    @Test
    void sessionResponsesAreNeverCachedOrSniffed() {
        api().when().put(session(newKey())).then()
                .header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff");
    }

    @Test
    void putOnAnExistingSessionReturnsItUnchanged() {
        String key = createSession();
        add(key, "RKT-1", "19.99", 1);
        api().body(Map.of("landing", "/elsewhere")).when().put(session(key)).then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .header("Location", nullValue())
                .body("version", equalTo(2))
                .body("landing", equalTo("/"));
    }

    @Test
    void createRejectsInvalidFields() {
        problem(api().body(Map.of("currency", "usd")).when().put(session(newKey())).then(), 422, "validation-failed")
                .body("errors.field", hasItem("currency"));
        problem(api().body(Map.of("landing", "/" + "x".repeat(2048))).when().put(session(newKey())).then(),
                422, "validation-failed").body("errors.field", hasItem("landing"));
        problem(api().body(Map.of("memberId", "not a member id")).when().put(session(newKey())).then(),
                422, "validation-failed");
    }

    @Test
    void getAnswersTheDocumentWithItsETag() {
        String key = createSession();
        add(key, "RKT-1", "19.99", 2);
        api().when().get(session(key)).then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("items[0].lineTotal", equalTo(39.98f));
    }

    @Test
    void getWithAMatchingIfNoneMatchIs304() {
        String key = createSession();
        api().header("If-None-Match", "\"1\"").when().get(session(key)).then()
                .statusCode(304).header("ETag", "\"1\"");
        api().header("If-None-Match", "\"7\", W/\"1\"").when().get(session(key)).then().statusCode(304);
        api().header("If-None-Match", "\"2\"").when().get(session(key)).then().statusCode(200);
    }

    @Test
    void aMissingSessionIs404() {
        problem(api().when().get(session(newKey())).then(), 404, "not-found");
        problem(api().body(item("RKT-1", "1.00", 1)).when().post(session(newKey()) + "/items").then(), 404, "not-found");
    }

    @Test
    void deleteAnswers204AndTheSessionIsGone() {
        String key = createSession();
        api().when().delete(session(key)).then().statusCode(204);
        problem(api().when().get(session(key)).then(), 404, "not-found");
        problem(api().when().delete(session(key)).then(), 404, "not-found");
        // the key can start a new session afterwards
        api().when().put(session(key)).then().statusCode(201).body("version", equalTo(1));
    }

    @Test
    void deleteHonoursIfMatch() {
        String key = createSession();
        problem(api().header("If-Match", "\"5\"").when().delete(session(key)).then(), 412, "precondition-failed")
                .body("currentVersion", equalTo(1));
        api().header("If-Match", "\"1\"").when().delete(session(key)).then().statusCode(204);
    }

    // --- items ----------------------------------------------------------------------------

    @Test
    void addingAnItemAnswersTheNewDocument() {
        String key = createSession();
        api().body(item("RKT-1", "19.99", 2)).when().post(session(key) + "/items").then()
                .statusCode(200)
                .header("ETag", "\"2\"")
                .body("version", equalTo(2))
                .body("items", hasSize(1))
                .body("items[0].sku", equalTo("RKT-1"))
                .body("items[0].name", equalTo("Item RKT-1"))
                .body("items[0].quantity", equalTo(2))
                .body("itemCount", equalTo(2))
                .body("logs[1].entry", equalTo("Selected RKT-1 x2"));
    }

    @Test
    void quantityDefaultsToOneAndAnExistingLineGainsQuantityNameAndPrice() {
        String key = createSession();
        api().body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 10)).when().post(session(key) + "/items")
                .then().statusCode(200).body("items[0].quantity", equalTo(1));
        api().body(Map.of("sku", "RKT-1", "name", "Falcon 9", "price", 12.5, "quantity", 3))
                .when().post(session(key) + "/items").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].name", equalTo("Falcon 9"))
                .body("items[0].quantity", equalTo(4));
    }

    @Test
    void moneyIsAlwaysWrittenWithTwoDecimals() {
        String key = createSession();
        String body = api().body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 5, "quantity", 3))
                .when().post(session(key) + "/items").then().statusCode(200).extract().asString();
        org.assertj.core.api.Assertions.assertThat(body)
                .contains("\"price\":5.00", "\"lineTotal\":15.00", "\"subtotal\":15.00", "\"discountTotal\":0.00",
                        "\"total\":15.00");
    }

    @Test
    void changingAQuantity() {
        String key = createSession();
        add(key, "RKT-1", "2.50", 1);
        api().body(Map.of("quantity", 4)).when().patch(session(key) + "/items/RKT-1").then()
                .statusCode(200)
                .body("items[0].quantity", equalTo(4))
                .body("subtotal", equalTo(10.0f))
                .body("logs[-1].entry", equalTo("Changed RKT-1 quantity to 4"));
        api().body(Map.of("quantity", 0)).when().patch(session(key) + "/items/RKT-1").then()
                .statusCode(200).body("items", empty()).body("version", equalTo(4));
        problem(api().body(Map.of("quantity", 1)).when().patch(session(key) + "/items/RKT-1").then(), 404, "not-found");
    }

    @Test
    void changingAQuantityOutOfRangeIs422() {
        String key = createSession();
        add(key, "RKT-1", "1.00", 1);
        problem(api().body(Map.of("quantity", 1000)).when().patch(session(key) + "/items/RKT-1").then(),
                422, "validation-failed").body("errors[0].field", equalTo("quantity"));
        problem(api().body(Map.of("quantity", -1)).when().patch(session(key) + "/items/RKT-1").then(),
                422, "validation-failed");
        problem(api().body(Map.of()).when().patch(session(key) + "/items/RKT-1").then(), 422, "validation-failed");
    }

    @Test
    void removingALine() {
        String key = createSession();
        add(key, "RKT-1", "1.00", 1);
        add(key, "RKT-2", "2.00", 1);
        api().when().delete(session(key) + "/items/RKT-1").then()
                .statusCode(200).body("items.sku", contains("RKT-2")).body("logs[-1].entry", equalTo("Removed RKT-1"));
        problem(api().when().delete(session(key) + "/items/RKT-1").then(), 404, "not-found");
    }

    @Test
    void clearingTheCart() {
        String key = createSession();
        add(key, "RKT-1", "1.00", 1);
        add(key, "RKT-2", "2.00", 1);
        api().when().delete(session(key) + "/items").then()
                .statusCode(200).body("items", empty()).body("subtotal", equalTo(0.0f))
                .body("logs[-1].entry", equalTo("Removed all items"));
    }

    @Test
    void itemFieldsAreValidated() {
        String key = createSession();
        String items = session(key) + "/items";
        problem(api().body(item("-bad", "1.00", 1)).when().post(items).then(), 422, "validation-failed")
                .body("errors[0].field", equalTo("sku"));
        problem(api().body(Map.of("sku", "RKT-1", "name", "", "price", 1)).when().post(items).then(), 422, "validation-failed")
                .body("errors[0].field", equalTo("name"));
        problem(api().body(Map.of("sku", "RKT-1", "name", "x".repeat(201), "price", 1)).when().post(items).then(),
                422, "validation-failed");
        problem(api().body(item("RKT-1", "1.999", 1)).when().post(items).then(), 422, "validation-failed")
                .body("errors[0].field", equalTo("price"));
        problem(api().body(item("RKT-1", "1000000.01", 1)).when().post(items).then(), 422, "validation-failed");
        problem(api().body(item("RKT-1", "1.00", 0)).when().post(items).then(), 422, "validation-failed")
                .body("errors[0].field", equalTo("quantity"));
        problem(api().body(item("RKT-1", "1.00", 1000)).when().post(items).then(), 422, "validation-failed");
        problem(api().body(Map.of("name", "x", "price", 1)).when().post(items).then(), 422, "validation-failed")
                .body("errors[0].field", equalTo("sku"));
        // nothing was written by any of that
        api().when().get(session(key)).then().body("version", equalTo(1));
    }

    @Test
    void aLineNeverExceeds999AndASessionHoldsAtMost250LinesByDefault() {
        String key = createSession();
        add(key, "RKT-1", "1.00", 999);
        problem(api().body(item("RKT-1", "1.00", 1)).when().post(session(key) + "/items").then(), 422, "validation-failed");
        for (int i = 1; i < 250; i++) {
            add(key, "L-" + i, "1.00", 1);
        }
        problem(api().body(item("L-250", "1.00", 1)).when().post(session(key) + "/items").then(), 422, "validation-failed");
        api().when().get(session(key)).then().body("items", hasSize(250)).body("version", equalTo(251));
    }

    @Test
    void aNegativePriceIsRejectedAndLogged() {
        String key = createSession();
        problem(api().body(item("RKT-1", "-5.00", 1)).when().post(session(key) + "/items").then(), 422, "validation-failed")
                .body("detail", equalTo("price must not be negative"))
                .body("errors[0].field", equalTo("price"));
        api().when().get(session(key)).then()
                .body("items", empty())
                .body("logs[-1].entry", equalTo("Rejected RKT-1: negative price"));
    }

    // --- discounts ------------------------------------------------------------------------

    @Test
    void theContractsExampleTotals() {
        String key = createSession();
        add(key, "RKT-1", "19.99", 2);
        String body = api().body(Map.of("code", "SPRING10", "percentOff", 10)).when().post(session(key) + "/discounts")
                .then().statusCode(200)
                .body("discounts[0].code", equalTo("SPRING10"))
                .body("discounts[0].percentOff", equalTo(10))
                .body("discounts[0]", not(org.hamcrest.Matchers.hasKey("amountOff")))
                .body("logs[-1].entry", equalTo("Applied discount SPRING10"))
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(body)
                .contains("\"subtotal\":39.98", "\"discountTotal\":4.00", "\"total\":35.98");
    }

    @Test
    void percentDiscountsRoundHalfEven() {
        String key = createSession();
        add(key, "A1", "0.50", 1);
        // 5% of 0.50 = 0.025 -> 0.02 (half-even, where half-up would give 0.03)
        api().body(Map.of("code", "FIVE", "percentOff", 5)).when().post(session(key) + "/discounts")
                .then().statusCode(200).body("discountTotal", equalTo(0.02f)).body("total", equalTo(0.48f));
    }

    @Test
    void amountDiscountsAreCappedAtTheSubtotal() {
        String key = createSession();
        add(key, "A1", "3.00", 1);
        api().body(Map.of("code", "TENOFF", "amountOff", 10)).when().post(session(key) + "/discounts").then()
                .statusCode(200)
                .body("discounts[0].amountOff", equalTo(10.0f))
                .body("discountTotal", equalTo(3.0f))
                .body("total", equalTo(0.0f));
    }

    @Test
    void applyingAnAppliedCodeChangesNothing() {
        String key = createSession();
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).when().post(session(key) + "/discounts")
                .then().statusCode(200).body("version", equalTo(2));
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).when().post(session(key) + "/discounts")
                .then().statusCode(200).header("ETag", "\"2\"").body("version", equalTo(2)).body("discounts", hasSize(1));
    }

    @Test
    void removingADiscount() {
        String key = createSession();
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).when().post(session(key) + "/discounts");
        api().when().delete(session(key) + "/discounts/SPRING10").then()
                .statusCode(200).body("discounts", empty()).body("logs[-1].entry", equalTo("Removed discount SPRING10"));
        problem(api().when().delete(session(key) + "/discounts/SPRING10").then(), 404, "not-found");
    }

    @Test
    void discountsAreValidated() {
        String key = createSession();
        String discounts = session(key) + "/discounts";
        problem(api().body(Map.of("code", "BOTH", "percentOff", 10, "amountOff", 1)).when().post(discounts).then(),
                422, "validation-failed");
        problem(api().body(Map.of("code", "NEITHER")).when().post(discounts).then(), 422, "validation-failed");
        problem(api().body(Map.of("code", "BIG", "percentOff", 101)).when().post(discounts).then(), 422, "validation-failed");
        problem(api().body(Map.of("code", "ZERO", "percentOff", 0)).when().post(discounts).then(), 422, "validation-failed");
        problem(api().body(Map.of("code", "CENTS", "amountOff", 1.001)).when().post(discounts).then(), 422, "validation-failed");
        problem(api().body(Map.of("code", "bad code!", "amountOff", 1)).when().post(discounts).then(), 422, "validation-failed");
        for (int i = 0; i < 10; i++) {
            api().body(Map.of("code", "C" + i, "amountOff", 1)).when().post(discounts).then().statusCode(200);
        }
        problem(api().body(Map.of("code", "C10", "amountOff", 1)).when().post(discounts).then(), 422, "validation-failed");
    }

    // --- member, logs, close --------------------------------------------------------------

    @Test
    void signingInAndOut() {
        String key = createSession();
        api().body(Map.of("memberId", "ann@example.com")).when().put(session(key) + "/member").then()
                .statusCode(200).body("memberId", equalTo("ann@example.com"))
                .body("logs[-1].entry", equalTo("Signed in as member ann@example.com"));
        api().when().delete(session(key) + "/member").then()
                .statusCode(200).body("memberId", nullValue()).body("logs[-1].entry", equalTo("Signed out"));
        problem(api().body(Map.of("memberId", "no spaces allowed")).when().put(session(key) + "/member").then(),
                422, "validation-failed");
    }

    @Test
    void theStorefrontRecordsWhatTheCustomerDoes() {
        String key = createSession();
        api().body(Map.of("entry", "Viewed /rockets/falcon")).when().post(session(key) + "/logs").then()
                .statusCode(200).body("logs[-1].entry", equalTo("Viewed /rockets/falcon"))
                .body("logs[-1].at", org.hamcrest.Matchers.matchesPattern("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        problem(api().body(Map.of("entry", "")).when().post(session(key) + "/logs").then(), 422, "validation-failed");
        problem(api().body(Map.of("entry", "x".repeat(501))).when().post(session(key) + "/logs").then(), 422, "validation-failed");
    }

    @Test
    void answersShowTheNewest200LogEntriesOldestFirst() {
        String key = createSession();
        for (int i = 1; i < 200; i++) {
            api().body(Map.of("entry", "step " + i)).when().post(session(key) + "/logs").then().statusCode(200);
        }
        String[] newest = IntStream.rangeClosed(1, 200).mapToObj(i -> "step " + i).toArray(String[]::new);
        java.util.List<Object> answered = api().body(Map.of("entry", "step 200")).when().post(session(key) + "/logs").then()
                .statusCode(200).body("logs.entry", contains((Object[]) newest)).extract().jsonPath().getList("logs");
        api().when().get(session(key)).then().statusCode(200).body("logs", equalTo(answered));
    }

    @Test
    void closingEndsTheSession() {
        String key = createSession();
        api().body(Map.of("orderId", "ORDER-42")).when().post(session(key) + "/close").then()
                .statusCode(200).body("status", equalTo("closed")).body("logs[-1].entry", equalTo("Closed as order ORDER-42"));
        problem(api().body(item("RKT-1", "1.00", 1)).when().post(session(key) + "/items").then(), 409, "session-closed");
        problem(api().when().post(session(key) + "/close").then(), 409, "session-closed");
        api().when().get(session(key)).then().statusCode(200).body("version", equalTo(2));
    }

    @Test
    void closeNeedsNoBody() {
        String key = createSession();
        given().header("Authorization", "Bearer demo-key").when().post(session(key) + "/close").then()
                .statusCode(200).body("status", equalTo("closed")).body("logs[-1].entry", equalTo("Closed"));
        given().header("Authorization", "Bearer demo-key").when().put(session(newKey())).then().statusCode(201);
    }

    @Test
    void optionalBodiesMustStillBeJson() {
        String key = createSession();
        problem(given().header("Authorization", "Bearer demo-key").contentType(ContentType.TEXT).body("orderId=1")
                .when().post(session(key) + "/close").then(), 415, "unsupported-media-type");
        problem(given().header("Authorization", "Bearer demo-key").contentType(ContentType.TEXT).body("landing=/")
                .when().put(session(newKey())).then(), 415, "unsupported-media-type");
        api().when().get(session(key)).then().body("status", equalTo("open"));
    }

    // --- conditional changes --------------------------------------------------------------

    @Test
    void ifMatchAppliesOnlyAtThatVersion() {
        String key = createSession();
        api().header("If-Match", "\"1\"").body(item("RKT-1", "1.00", 1)).when().post(session(key) + "/items")
                .then().statusCode(200).header("ETag", "\"2\"");
        problem(api().header("If-Match", "\"1\"").body(item("RKT-1", "1.00", 1)).when().post(session(key) + "/items").then(),
                412, "precondition-failed").body("currentVersion", equalTo(2));
        api().header("If-Match", "*").body(Map.of("entry", "x")).when().post(session(key) + "/logs").then().statusCode(200);
        api().when().get(session(key)).then().body("items[0].quantity", equalTo(1)).body("version", equalTo(3));
    }

    @Test
    void aWeakOrMalformedIfMatchNeverMatches() {
        String key = createSession();
        problem(api().header("If-Match", "W/\"1\"").body(Map.of("entry", "x")).when().post(session(key) + "/logs").then(),
                412, "precondition-failed");
        problem(api().header("If-Match", "version one").body(Map.of("entry", "x")).when().post(session(key) + "/logs").then(),
                400, "invalid-request");
    }

    // --- malformed requests ---------------------------------------------------------------

    @Test
    void badPathSegmentsAre400() {
        problem(api().when().get("/v1/stores/Demo/sessions/" + newKey()).then(), 400, "invalid-request");
        problem(api().when().get("/v1/stores/demo/sessions/tooshort").then(), 400, "invalid-request");
        problem(api().when().get("/v1/stores/demo/sessions/" + "k".repeat(129)).then(), 400, "invalid-request");
        String key = createSession();
        problem(api().body(Map.of("quantity", 1)).when().patch(session(key) + "/items/-bad").then(), 400, "invalid-request");
        problem(api().when().delete(session(key) + "/discounts/bad!code").then(), 400, "invalid-request");
    }

    @Test
    void malformedJsonWrongTypesAndMissingBodiesAre400() {
        String key = createSession();
        String items = session(key) + "/items";
        problem(api().body("{\"sku\":").when().post(items).then(), 400, "invalid-request");
        problem(api().body("{\"sku\":\"RKT-1\",\"name\":\"x\",\"price\":\"19.99\"}").when().post(items).then(), 400, "invalid-request");
        problem(api().body("{\"sku\":\"RKT-1\",\"name\":\"x\",\"price\":1,\"quantity\":1.5}").when().post(items).then(), 400, "invalid-request");
        problem(api().body("{\"sku\":\"RKT-1\",\"name\":5,\"price\":1}").when().post(items).then(), 400, "invalid-request");
        problem(api().body("[1,2]").when().post(items).then(), 400, "invalid-request");
        problem(api().when().post(items).then(), 400, "invalid-request");
        problem(api().body(Map.of("quantity", "2")).when().patch(session(key) + "/items/RKT-1").then(), 400, "invalid-request");
        api().when().get(session(key)).then().body("version", equalTo(1));
    }

    @Test
    void unknownFieldsAre422AndNeverStored() {
        String key = createSession();
        problem(api().body(Map.of("sku", "RKT-1", "name", "x", "price", 1, "discount", 100)).when().post(session(key) + "/items").then(),
                422, "validation-failed").body("errors[0].field", equalTo("discount"));
        problem(api().body(Map.of("status", "closed")).when().put(session(newKey())).then(), 422, "validation-failed");
        api().when().get(session(key)).then().body("version", equalTo(1));
    }

    @Test
    void aNonJsonBodyIs415() {
        String key = createSession();
        problem(given().header("Authorization", "Bearer demo-key").contentType(ContentType.TEXT).body("sku=RKT-1")
                .when().post(session(key) + "/items").then(), 415, "unsupported-media-type");
    }

    @Test
    void aBodyOver16KiBIs413() {
        String key = createSession();
        problem(api().body(Map.of("entry", "x".repeat(17 * 1024))).when().post(session(key) + "/logs").then(),
                413, "payload-too-large");
        api().when().get(session(key)).then().body("version", equalTo(1));
    }

    @Test
    void unknownRoutesAndMethodsAreProblems() {
        problem(api().when().get("/v1/nothing/here").then(), 404, "not-found");
        problem(api().when().post(session(newKey())).then(), 405, "method-not-allowed");
    }

    @Test
    void healthMetricsAndOpenApiNeedNoKey() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200);
        given().when().get("/q/openapi").then().statusCode(200);
    }
}
