package com.redfour.shopping.session.api;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * A row as the previous version (v1.0) wrote it, read by this one: its lines get ids (in their order,
 * the same on every read until the next change writes them), and note, attributes and attribution are
 * derived; no migration rewrote it.
 */
@QuarkusTest
class PreviousDocumentTest {

    private static final String V1_DOCUMENT = """
            {"currency":"USD","landing":"/rockets?utm_source=news&utm_campaign=spring%20sale&gclid=G1",
             "referrer":"https://mail.example/","ip":"203.0.113.9",
             "items":[{"sku":"RKT-1","name":"Falcon","price":19.99,"quantity":2},
                      {"sku":"RKT-2","name":"Heavy","price":5.00,"quantity":1}],
             "discounts":[{"code":"SPRING10","percentOff":10,"amountOff":null}],
             "logs":[{"at":AT,"entry":"Session created"},{"at":AT,"entry":"Selected RKT-1 x2"}]}""";

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    @Test
    void aPreviousVersionsRowReadsAndChangesCorrectly() {
        String key = newKey();
        Instant created = clock.instant().minusSeconds(60).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        pool.preparedQuery("INSERT INTO session (store, key, version, status, member_id, created_at, updated_at, expires_at,"
                        + " document, applied_keys) VALUES ('demo', $1, 3, 'open', null, $2, $2, $3, $4::text::jsonb, '[]')")
                .execute(Tuple.of(key, created.atOffset(ZoneOffset.UTC), created.plus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC),
                        V1_DOCUMENT.replace("AT", Long.toString(created.toEpochMilli()))))
                .await().atMost(Duration.ofSeconds(10));

        for (int read = 0; read < 2; read++) {
            api().get(session(key)).then().statusCode(200)
                    .header("ETag", "\"3\"")
                    .body("items.lineId", contains("l1", "l2"))
                    .body("items[0].attributes", equalTo(Map.of()))
                    .body("note", nullValue())
                    .body("attributes", equalTo(Map.of()))
                    .body("attribution.touches", equalTo(1))
                    .body("attribution.first.at", equalTo(SessionView.timestamp(created)))
                    .body("attribution.first.landing", equalTo("/rockets?utm_source=news&utm_campaign=spring%20sale&gclid=G1"))
                    .body("attribution.first.referrer", equalTo("https://mail.example/"))
                    .body("attribution.first.utm.source", equalTo("news"))
                    .body("attribution.first.utm.campaign", equalTo("spring sale"))
                    .body("attribution.first.clickId", equalTo("G1"))
                    .body("total", equalTo(40.48f))
                    .body("warnings", equalTo(java.util.List.of()));
        }
        assertThat(document(key)).doesNotContain("lineId"); // reading wrote nothing

        // the v1 sku endpoints and the line endpoints both work on it, and ids stay put
        api().body(Map.of("quantity", 3)).patch(session(key) + "/items/RKT-2").then().statusCode(200)
                .body("version", equalTo(4)).body("items.lineId", contains("l1", "l2"));
        api().body(Map.of("sku", "RKT-3", "name", "New", "price", 1)).post(session(key) + "/items").then().statusCode(200)
                .body("items.lineId", contains("l1", "l2", "l3"));
        api().delete(session(key) + "/lines/l1").then().statusCode(200).body("items.lineId", contains("l2", "l3"));
        api().body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 19.99)).post(session(key) + "/items").then().statusCode(200)
                .body("items.lineId", contains("l2", "l3", "l4"));
        assertThat(document(key)).contains("\"lineId\": \"l2\"", "\"lastLineNumber\": 4", "\"attribution\""); // jsonb's text form
    }

    private String document(String key) {
        return pool.preparedQuery("SELECT document::text FROM session WHERE store = 'demo' AND key = $1")
                .execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).iterator().next().getString(0);
    }
}
