package com.redfour.shopping.ops;

import com.redfour.shopping.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract's rate limit through HTTP, with a limit low enough to pass: a burst past it is
 * answered 429 with the headers, other keys and the health endpoints are unaffected, and the key is
 * served again once its bucket has refilled.
 */
@QuarkusTest
@TestProfile(RateLimitTest.Low.class)
public class RateLimitTest {

    /** 1 request per second, 5 at once. */
    public static class Low implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.rate.limit", "1", "redfour.rate.burst", "5", "redfour.api.keys", Api.KEYS);
        }
    }

    private static Response get(String apiKey, String store) {
        return given().header("Authorization", "Bearer " + apiKey).get("/v1/stores/" + store + "/sessions/" + Api.newKey());
    }

    @Test
    void aBurstPastTheLimitGets429sWithTheHeadersThenRecovers() {
        long began = System.nanoTime();
        Response first = get(Api.KEY, Api.STORE);
        assertThat(first.statusCode()).isEqualTo(404);
        assertThat(first.header("RateLimit-Policy")).isEqualTo("\"default\";q=5;w=5");
        assertThat(first.header("RateLimit")).isEqualTo("\"default\";r=4;t=1");
        int admitted = 1;
        Response refused = get(Api.KEY, Api.STORE);
        while (refused.statusCode() == 404 && admitted < 100) {
            admitted++;
            refused = get(Api.KEY, Api.STORE);
        }
        // the burst, plus whatever the bucket earned back (1 per second) while the requests were sent
        long earned = Duration.ofNanos(System.nanoTime() - began).toSeconds() + 1;
        assertThat(admitted).isBetween(5, (int) (5 + earned));
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/rate-limited");
        assertThat(refused.jsonPath().getInt("status")).isEqualTo(429);
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.header("RateLimit-Policy")).isEqualTo("\"default\";q=5;w=5");
        assertThat(refused.header("RateLimit")).startsWith("\"default\";r=0;t=");

        // another store's key has a bucket of its own; a request without a valid key still carries the headers
        Response other = get("rocket-key", "rockets.example");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.header("RateLimit")).startsWith("\"default\";r=4;");
        Response anonymous = given().get("/v1/stores/demo/sessions/" + Api.newKey());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.header("RateLimit-Policy")).isEqualTo("\"default\";q=5;w=5");

        // not limited, no headers
        for (int i = 0; i < 10; i++) {
            Response health = given().get("/q/health/live");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.header("RateLimit")).isNull();
        }
        assertThat(given().queryParam("format", "json").get("/q/openapi").statusCode()).isEqualTo(200);

        // a refused request takes nothing from the bucket, so polling finds the refill as soon as it comes
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int status = 429;
        while (status == 429 && System.nanoTime() < deadline) {
            status = get(Api.KEY, Api.STORE).statusCode();
        }
        assertThat(status).isEqualTo(404);
    }
}
