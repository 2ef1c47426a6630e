package com.redfour.shopping.insight;

import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Map;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.newKey;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/**
 * The insights endpoint at its edge: the exact status of every bad parameter (each answered with a
 * problem that names it), the default window, another store's key, and the CSV form.
 */
@QuarkusTest
class InsightsApiTest {

    private static final String INSIGHTS = "/v1/stores/demo/insights";

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void everyBadParameterIs400NamingIt() {
        Map<String, String> cases = Map.ofEntries(
                Map.entry("by=country", "by must be one of"),
                Map.entry("by=SOURCE", "by must be one of"),
                Map.entry("by=", "by must be one of"),
                Map.entry("by=source&by=medium", "by must be given at most once"),
                Map.entry("touch=middle", "touch must be first or last"),
                Map.entry("touch=%27%3B%20DROP%20TABLE%20session_fact%3B%20--", "touch must be first or last"),
                Map.entry("from=2026-02-30", "from must be a date"),
                Map.entry("from=2026-13-01", "from must be a date"),
                Map.entry("to=2026-1-5", "to must be a date"),
                Map.entry("to=2026-01-05T00:00:00Z", "to must be a date"),
                Map.entry("from=+2026-01-05", "from must be a date"),
                Map.entry("from=2026-11-30&to=2026-11-01", "from must not be after to"),
                Map.entry("from=2025-01-01&to=2026-01-02", "at most 366 days"),
                Map.entry("limit=0", "limit must be an integer from 1 to 500"),
                Map.entry("limit=501", "limit must be an integer from 1 to 500"),
                Map.entry("limit=-1", "limit must be an integer from 1 to 500"),
                Map.entry("limit=1e2", "limit must be an integer from 1 to 500"),
                Map.entry("limit=99999999999", "limit must be an integer from 1 to 500"));
        cases.forEach((query, detail) -> problem(api().get(INSIGHTS + "?" + query).then(), 400, "invalid-request")
                .body("detail", containsString(detail)));
    }

    @Test
    void theWidestWindowAndTheLimitsBoundsAreAccepted() {
        // 366 days (a leap year's worth), limit 1 and 500
        api().get(INSIGHTS + "?from=2024-01-01&to=2024-12-31&limit=1").then().statusCode(200)
                .body("from", equalTo("2024-01-01")).body("to", equalTo("2024-12-31"));
        api().get(INSIGHTS + "?from=2026-11-01&to=2026-11-01&limit=500&by=none&touch=last").then().statusCode(200)
                .body("by", equalTo("none")).body("touch", equalTo("last"));
    }

    @Test
    void theDefaultWindowIsTheLast30DaysIncludingToday() {
        clock.advanceToNext(LocalTime.of(6, 0)); // no midnight between today's date here and the service's
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        api().get(INSIGHTS).then().statusCode(200)
                .body("from", equalTo(today.minusDays(29).toString())).body("to", equalTo(today.toString()))
                .body("by", equalTo("source")).body("touch", equalTo("first"));
        api().get(INSIGHTS + "?to=2026-03-01").then().statusCode(200).body("from", equalTo("2026-01-31"));
    }

    @Test
    void anotherStoresKeyIs404AndNoKeyIs401() {
        problem(given().header("Authorization", "Bearer rocket-key").get(INSIGHTS).then(), 404, "not-found")
                .body("detail", equalTo("no such store"));
        problem(given().get(INSIGHTS).then(), 401, "unauthorized");
        problem(api().accept("application/xml").get(INSIGHTS).then(), 406, "not-acceptable");
    }

    @Test
    void csvHasAHeaderAndALinePerRowWithAColumnPerCurrencyAmount() {
        clock.advance(Duration.ofDays(2500));
        clock.advanceToNext(LocalTime.of(6, 0)); // both sessions on the day asked for
        String day = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString();
        String usd = newKey();
        api().body(Map.of("landing", "/?utm_source=-2%2B3,x")).put(session(usd)).then().statusCode(201);
        add(usd, "RKT-1", "12.50", 2);
        api().body(Map.of()).post(session(usd) + "/close").then().statusCode(200);
        String eur = newKey();
        api().body(Map.of("currency", "EUR", "referrer", "https://news.example/a")).put(session(eur)).then().statusCode(201);

        String csv = api().accept("text/csv").get(INSIGHTS + "?from=" + day + "&to=" + day).then().statusCode(200)
                .contentType("text/csv; charset=utf-8")
                .header("Content-Disposition", "attachment; filename=\"insights-demo-" + day + "-" + day + "-source.csv\"")
                .extract().asString();
        // a source that a spreadsheet would run as a formula is defused, and quoted for its comma
        assertThat(csv).isEqualTo("key,sessions,withItems,converted,abandoned,recovered,conversionRate,"
                + "revenue.USD,averageOrderValue.USD,abandonedValue.USD\r\n"
                + "\"'-2+3,x\",1,1,1,0,0,1.0000,25.00,25.00,\r\n"
                + "news.example,1,0,0,0,0,0.0000,,,\r\n");
        // JSON is the default
        api().get(INSIGHTS + "?from=" + day + "&to=" + day).then().statusCode(200).contentType("application/json")
                .body("rows[0].key", equalTo("-2+3,x"));
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo("/problems/" + type))
                .body("status", equalTo(status))
                .body(not(containsString("Exception")));
    }
}
