package com.redfour.shopping.session.api;

import com.redfour.shopping.support.Metrics;

import com.redfour.shopping.support.Rival;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Another replica writes the same session while this one changes it: every version check this
 * replica loses is re-run on the fresh row, and nothing either side wrote is lost.
 */
@QuarkusTest
public class OptimisticRetryTest {

    @Test
    void changesThatLoseTheVersionCheckAreReappliedOnTheFreshRow() throws Exception {
        String key = createSession();
        double conflictsBefore = conflicts();
        List<Integer> statuses = new ArrayList<>();
        long rivalWrites;
        try (Rival rival = Rival.start("demo", key)) {
            for (int i = 0; i < 40; i++) {
                statuses.add(api().body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 1, "quantity", 1))
                        .post(session(key) + "/items").statusCode());
            }
            rival.close();
            rivalWrites = rival.writes();
        }
        long acknowledged = statuses.stream().filter(s -> s == 200).count();
        assertThat(statuses).allMatch(s -> s == 200 || s == 409);
        var doc = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        assertThat(doc.getLong("items[0].quantity")).isEqualTo(acknowledged);
        assertThat(doc.getLong("version")).isEqualTo(1 + acknowledged + rivalWrites);
        assertThat(rivalWrites).isPositive();
        assertThat(conflicts()).isGreaterThan(conflictsBefore);
    }

    static double conflicts() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(line -> line.startsWith("redfour_session_version_conflicts_total"))
                .mapToDouble(line -> Metrics.value(line))
                .sum();
    }
}
