package com.redfour.shopping.insight;

import com.redfour.shopping.insight.store.InsightFold;
import com.redfour.shopping.insight.store.InsightPurge;
import com.redfour.shopping.session.scan.CartScan;
import com.redfour.shopping.session.scan.SessionPurge;
import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store insights against seeded histories whose figures are known: every dimension and touch, the
 * limit and (other), money per currency, abandoned and recovered carts, and the figures the same before
 * and after the fold, after the sessions are purged, and without a session that was deleted. Each test
 * moves the clock to days of its own, far from the other tests' sessions, so its window holds only its
 * own sessions.
 */
@QuarkusTest
class InsightsTest {

    private static final AtomicInteger DAYS = new AtomicInteger();

    @Inject
    TestClock clock;

    @Inject
    CartScan scan;

    @Inject
    InsightFold fold;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Inject
    SessionPurge sessionPurge;

    @Inject
    InsightPurge insightPurge;

    private LocalDate day;

    @BeforeEach
    void ownDays() {
        // 100 days apart: another test's sessions have expired, so the scan and the purge see only this test's
        clock.advance(Duration.ofDays(3000 + 100L * DAYS.incrementAndGet()));
        // at 06:00 UTC: the test's hours on the clock (61 idle minutes and more) stay within its day
        clock.advanceToNext(LocalTime.of(6, 0));
        day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** The seeded history: six sessions on one day. */
    private Map<String, String> seed() {
        Map<String, String> keys = new HashMap<>();
        // s1: a newsletter click, bought two rockets
        keys.put("s1", create(Map.of("landing", "/p/rocket?utm_source=news&utm_medium=email&utm_campaign=nov",
                "referrer", "https://mail.example.com/inbox")));
        add(keys.get("s1"), "RKT-1", "10.00", 2);
        close(keys.get("s1"));
        // s2: the same newsletter, a cart left behind (reported abandoned below)
        keys.put("s2", create(Map.of("landing", "/p/rocket?utm_source=news&utm_medium=email&utm_campaign=nov")));
        add(keys.get("s2"), "RKT-2", "5.00", 1);
        // s3: from a search engine, looked and left
        keys.put("s3", create(Map.of("landing", "/", "referrer", "https://www.Google.com/search?q=rockets")));
        // s4: typed in, paid in euros
        keys.put("s4", create(Map.of("landing", "/sale?gclid=abc", "currency", "EUR")));
        add(keys.get("s4"), "RKT-3", "7.50", 3);
        close(keys.get("s4"));
        // s5: the newsletter first, an ad last; had an item and took it out
        keys.put("s5", create(Map.of("landing", "/p/rocket?utm_source=news")));
        add(keys.get("s5"), "RKT-4", "1.00", 1);
        api().when().delete(session(keys.get("s5")) + "/items/RKT-4").then().statusCode(200);
        api().body(Map.of("landing", "/back?utm_source=ads&utm_medium=cpc")).when().post(session(keys.get("s5")) + "/touches")
                .then().statusCode(200);
        // s6: typed in, a cart that a recovery link gives to s7, which buys it
        keys.put("s6", create(Map.of("landing", "/cart")));
        add(keys.get("s6"), "RKT-5", "30.00", 1);
        return keys;
    }

    @Test
    void everyFigureIsWhatTheSeededHistoriesSay() {
        Map<String, String> keys = seed();
        clock.advance(Duration.ofMinutes(61));
        // s2 and s6: the open carts with lines (every earlier session has expired by this test's days)
        assertThat(scan.run().await().atMost(Duration.ofSeconds(30)).abandoned()).isEqualTo(2);
        // s6 was abandoned too (61 idle minutes); its cart is recovered into s7, which converts
        String token = api().body(Map.of()).when().post(session(keys.get("s6")) + "/recovery-links")
                .then().statusCode(201).extract().path("token");
        String s7 = newKey();
        api().body(Map.of("into", s7)).when().post("/v1/stores/demo/recovery/" + token + "/restore").then().statusCode(200);
        close(s7);
        // s2 changes after it was reported: its abandoned value follows
        add(keys.get("s2"), "RKT-2", "5.00", 1);

        JsonPath bySource = insights("by=source");
        assertThat(bySource.getString("from")).isEqualTo(day.minusDays(29).toString());
        assertThat(bySource.getString("to")).isEqualTo(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString());
        assertThat(bySource.getString("by")).isEqualTo("source");
        assertThat(bySource.getString("touch")).isEqualTo("first");
        // news: s1, s2, s5; (direct): s4, s6, s7; www.google.com: s3 (mail.example.com is s1's referrer, not its source)
        // (sessions tie: by key, bytewise)
        assertThat(rows(bySource)).containsExactly(
                row("(direct)", 3, 3, 2, 1, 1, "0.6667", Map.of("EUR", "22.50", "USD", "30.00"),
                        Map.of("EUR", "22.50", "USD", "30.00"), Map.of("USD", "30.00")),
                row("news", 3, 3, 1, 1, 0, "0.3333", Map.of("USD", "20.00"), Map.of("USD", "20.00"), Map.of("USD", "10.00")),
                row("www.google.com", 1, 0, 0, 0, 0, "0.0000", Map.of(), Map.of(), Map.of()));
        assertThat(row(bySource.getMap("totals"))).isEqualTo(
                row("(all)", 7, 6, 3, 2, 1, "0.4286", Map.of("EUR", "22.50", "USD", "50.00"),
                        Map.of("EUR", "22.50", "USD", "25.00"), Map.of("USD", "40.00")));

        assertThat(keysOf(insights("by=source&touch=last"))).containsExactly("(direct)", "news", "ads", "www.google.com");
        assertThat(keysOf(insights("by=medium"))).containsExactly("(none)", "email");
        assertThat(keysOf(insights("by=campaign"))).containsExactly("(none)", "nov");
        assertThat(keysOf(insights("by=referrer"))).containsExactly("(direct)", "mail.example.com", "www.google.com");
        assertThat(keysOf(insights("by=landing"))).containsExactly("/p/rocket", "/", "/cart", "/sale");
        // s7 was created by the restore, on the default landing "/"
        assertThat(keysOf(insights("by=landing&touch=last"))).containsExactly("/", "/p/rocket", "/back", "/cart", "/sale");
        JsonPath byDay = insights("by=day");
        assertThat(keysOf(byDay)).containsExactly(day.toString());
        assertThat(byDay.getLong("rows[0].sessions")).isEqualTo(7);
        JsonPath none = insights("by=none");
        assertThat(rows(none)).containsExactly(row(none.getMap("totals")));

        // the limit: the rest is one row
        JsonPath limited = insights("by=source&touch=last&limit=2");
        assertThat(keysOf(limited)).containsExactly("(direct)", "news", "(other)");
        assertThat(limited.getLong("rows[2].sessions")).isEqualTo(2);
        assertThat(limited.getMap("totals")).isEqualTo(bySource.getMap("totals"));

        // the fold changes nothing a reader sees
        assertThat(fold.foldAll().await().atMost(Duration.ofSeconds(30))).isPositive();
        assertThat(pool.query("SELECT count(*) FROM insight_delta").execute().await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0)).as("every change folded: the answers below come from insight_day").isZero();
        assertThat(insights("by=source").prettify()).isEqualTo(bySource.prettify());
        assertThat(insights("by=source&touch=last&limit=2").prettify()).isEqualTo(limited.prettify());
        assertThat(insights("by=day").prettify()).isEqualTo(byDay.prettify());
    }

    @Test
    void factsOutliveThePurgedSessionsUntilTheirRetentionAndADeleteErasesThem() {
        Map<String, String> keys = seed();
        String window = "by=none&from=" + day + "&to=" + day;
        JsonPath before = insights(window);
        assertThat(before.getLong("totals.sessions")).isEqualTo(6);

        // a deleted session is erased: its facts go with it
        api().when().delete(session(keys.get("s1"))).then().statusCode(204);
        JsonPath afterDelete = insights(window);
        assertThat(row(afterDelete.getMap("totals"))).isEqualTo(
                row("(all)", 5, 4, 1, 0, 0, "0.2000", Map.of("EUR", "22.50"), Map.of("EUR", "22.50"), Map.of()));

        // every session expires and is purged: the figures stay
        clock.advance(Duration.ofDays(40));
        fold.foldAll().await().atMost(Duration.ofSeconds(30));
        sessionPurge.purge().await().atMost(Duration.ofSeconds(60));
        // purged (an expired session still in the table would be 410)
        keys.values().forEach(key -> api().when().get(session(key)).then().statusCode(404));
        assertThat(insights(window).prettify()).isEqualTo(afterDelete.prettify());

        // past the retention (P400D after the day) the insights purge removes them
        clock.advance(Duration.ofDays(359));
        assertThat(insightPurge.firstKeptDay()).isBefore(day);
        insightPurge.purge().await().atMost(Duration.ofSeconds(60));
        assertThat(insights(window).prettify()).isEqualTo(afterDelete.prettify());
        clock.advance(Duration.ofDays(2));
        assertThat(insightPurge.firstKeptDay()).isAfter(day);
        assertThat(insightPurge.purge().await().atMost(Duration.ofSeconds(60))).isPositive();
        JsonPath gone = insights(window);
        assertThat(gone.getList("rows")).isEmpty();
        assertThat(row(gone.getMap("totals"))).isEqualTo(row("(all)", 0, 0, 0, 0, 0, "0.0000", Map.of(), Map.of(), Map.of()));
    }

    // --- helpers ---------------------------------------------------------------------------------

    private static String create(Map<String, String> body) {
        String key = newKey();
        api().body(body).when().put(session(key)).then().statusCode(201);
        return key;
    }

    private static void close(String key) {
        api().when().post(session(key) + "/close").then().statusCode(200);
    }

    private static JsonPath insights(String query) {
        String body = api().when().get("/v1/stores/demo/insights?" + query).then().statusCode(200).extract().asString();
        return JsonPath.from(body).using(new JsonPathConfig(JsonPathConfig.NumberReturnType.BIG_DECIMAL));
    }

    private static List<Map<String, Object>> rows(JsonPath insights) {
        return insights.getList("rows").stream().map(r -> row(castMap(r))).toList();
    }

    private static List<String> keysOf(JsonPath insights) {
        return insights.getList("rows.key", String.class);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object row) {
        return (Map<String, Object>) row;
    }

    /** A row as JSON reads it, amounts and the rate as their text (as sent: 22.50, not 22.5). */
    private static Map<String, Object> row(Map<String, Object> json) {
        Map<String, Object> out = new HashMap<>(json);
        out.put("conversionRate", ((java.math.BigDecimal) json.get("conversionRate")).toPlainString());
        for (String money : List.of("revenue", "averageOrderValue", "abandonedValue")) {
            Map<String, String> amounts = new HashMap<>();
            castMap(json.get(money)).forEach((currency, amount) -> amounts.put(currency, ((java.math.BigDecimal) amount).toPlainString()));
            out.put(money, amounts);
        }
        return out;
    }

    private static Map<String, Object> row(String key, long sessions, long withItems, long converted, long abandoned,
            long recovered, String rate, Map<String, String> revenue, Map<String, String> aov, Map<String, String> abandonedValue) {
        Map<String, Object> out = new HashMap<>();
        out.put("key", key);
        out.put("sessions", (int) sessions);
        out.put("withItems", (int) withItems);
        out.put("converted", (int) converted);
        out.put("abandoned", (int) abandoned);
        out.put("recovered", (int) recovered);
        out.put("conversionRate", rate);
        out.put("revenue", revenue);
        out.put("averageOrderValue", aov);
        out.put("abandonedValue", abandonedValue);
        return out;
    }
}
