package com.redfour.shopping.session.api;

import com.redfour.shopping.support.Metrics;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** What operators scrape from /q/metrics: per-endpoint request metrics and the pipeline's counters. */
@QuarkusTest
public class MetricsTest {

    @Test
    void requestsAreBrokenDownByEndpointAndThePipelineIsCounted() {
        String key = createSession();
        api().header("Idempotency-Key", "metrics-1").body(Map.of("entry", "x")).post(session(key) + "/logs");
        api().header("Idempotency-Key", "metrics-1").body(Map.of("entry", "x")).post(session(key) + "/logs");
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics)
                .contains("http_server_requests_seconds_count{")
                .contains("uri=\"/v1/stores/{store}/sessions/{key}/logs\"")
                .contains("redfour_session_writes_total")
                .contains("redfour_session_changes_written_total")
                .contains("redfour_session_version_conflicts_total")
                .contains("redfour_session_retries_exhausted_total");
        assertThat(metrics.lines().filter(l -> l.startsWith("redfour_session_idempotent_replays_total"))
                .mapToDouble(l -> Metrics.value(l)).sum()).isGreaterThanOrEqualTo(1);
        assertThat(metrics).doesNotContain(key);
    }
}
