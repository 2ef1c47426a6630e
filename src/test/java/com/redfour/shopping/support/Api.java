package com.redfour.shopping.support;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Shorthands for calling the service as the storefront of store {@code demo} does. */
@WithTestResource(value = PostgresTestResource.class, scope = TestResourceScope.GLOBAL)
public final class Api {

    public static final String STORE = "demo";
    public static final String KEY = "demo-key";
    /**
     * REDFOUR_API_KEYS of every test: {@code demo} with {@code demo-key}, and a second store,
     * {@code rockets.example} with {@code rocket-key}, for the isolation tests.
     */
    public static final String KEYS = "demo:c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c,"
            + "rockets.example:b42a27abddfe3fa77196d2217e8df225da6182714351b79b7d0b049e171a548f";

    private Api() {
    }

    /** A request with the demo store's key and a JSON content type. */
    public static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + KEY).contentType(ContentType.JSON);
    }

    /** A fresh, unguessable session key. */
    public static String newKey() {
        return "t" + UUID.randomUUID().toString().replace("-", "");
    }

    public static String session(String key) {
        return "/v1/stores/" + STORE + "/sessions/" + key;
    }

    /** Creates a session and answers its key. */
    public static String createSession() {
        String key = newKey();
        api().when().put(session(key)).then().statusCode(201);
        return key;
    }

    /** Adds {@code quantity} of {@code sku} at {@code price}; answers the new version. */
    public static long add(String key, String sku, String price, int quantity) {
        return api().body(Map.of("sku", sku, "name", "Item " + sku, "price", new java.math.BigDecimal(price), "quantity", quantity))
                .when().post(session(key) + "/items")
                .then().statusCode(200)
                .extract().jsonPath().getLong("version");
    }
}
