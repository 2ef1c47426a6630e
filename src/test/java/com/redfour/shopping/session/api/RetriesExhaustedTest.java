package com.redfour.shopping.session.api;

import com.redfour.shopping.support.Metrics;

import com.redfour.shopping.support.Rival;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;

/** With a single attempt, a change that loses the race is answered 409 with Retry-After, and changes nothing. */
@QuarkusTest
@TestProfile(RetriesExhaustedTest.OneAttempt.class)
public class RetriesExhaustedTest {

    /** Gives up after the first lost version check. */
    public static class OneAttempt implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("redfour.session.max-attempts", "1");
        }
    }

    @Test
    void aChangeThatRunsOutOfAttemptsIs409WithRetryAfter() throws Exception {
        String key = createSession();
        List<Response> answers = new ArrayList<>();
        long rivalWrites;
        try (Rival rival = Rival.start("demo", key)) {
            for (int i = 0; i < 60 && answers.stream().noneMatch(r -> r.statusCode() == 409); i++) {
                answers.add(api().body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 1, "quantity", 1))
                        .post(session(key) + "/items"));
            }
            rival.close();
            rivalWrites = rival.writes();
        }
        Response conflict = answers.stream().filter(r -> r.statusCode() == 409).findFirst().orElseThrow(
                () -> new AssertionError("no request lost the race in 60 tries against a rival writing nonstop"));
        assertThat(conflict.contentType()).isEqualTo("application/problem+json");
        assertThat(conflict.jsonPath().getString("type")).isEqualTo("/problems/version-conflict");
        assertThat(conflict.header("Retry-After")).isEqualTo("1");
        long acknowledged = answers.stream().filter(r -> r.statusCode() == 200).count();
        var doc = api().get(session(key)).then().statusCode(200).extract().jsonPath();
        assertThat(acknowledged == 0 ? 0L : doc.getLong("items[0].quantity")).isEqualTo(acknowledged);
        assertThat(doc.getLong("version")).isEqualTo(1 + acknowledged + rivalWrites);
    }

    /**
     * Deletes and sign-ins with merge go through the same pipeline as changes: against a rival they
     * too run out of attempts, answer 409, and are counted as conflicts and exhausted retries.
     */
    @Test
    void deletesAndMergesRunOutOfAttemptsTheSameWayAndAreCounted() throws Exception {
        double conflictsBefore = counter("redfour_session_version_conflicts_total");
        double exhaustedBefore = counter("redfour_session_retries_exhausted_total");

        String other = createSession();
        api().body(Map.of("memberId", "rival-ann")).put(session(other) + "/member").then().statusCode(200);
        String target = createSession();
        Response mergeConflict = firstConflict(target, () -> api().body(Map.of("memberId", "rival-ann", "merge", true))
                .put(session(target) + "/member"));
        assertThat(mergeConflict.jsonPath().getString("type")).isEqualTo("/problems/version-conflict");
        assertThat(mergeConflict.header("Retry-After")).isEqualTo("1");

        Response deleteConflict = null;
        for (int i = 0; i < 60 && deleteConflict == null; i++) {
            String doomed = createSession();
            try (Rival rival = Rival.start("demo", doomed)) {
                Response response = api().delete(session(doomed));
                assertThat(response.statusCode()).as(response.asString()).isIn(204, 409);
                deleteConflict = response.statusCode() == 409 ? response : null;
            }
        }
        assertThat(deleteConflict).as("no delete lost the race in 60 tries against a rival writing nonstop").isNotNull();
        assertThat(deleteConflict.jsonPath().getString("type")).isEqualTo("/problems/version-conflict");

        assertThat(counter("redfour_session_version_conflicts_total")).isGreaterThanOrEqualTo(conflictsBefore + 2);
        assertThat(counter("redfour_session_retries_exhausted_total")).isGreaterThanOrEqualTo(exhaustedBefore + 2);
    }

    private static Response firstConflict(String key, java.util.function.Supplier<Response> request) throws Exception {
        try (Rival rival = Rival.start("demo", key)) {
            for (int i = 0; i < 60; i++) {
                Response response = request.get();
                if (response.statusCode() == 409) {
                    return response;
                }
                assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
            }
        }
        throw new AssertionError("no request lost the race in 60 tries against a rival writing nonstop");
    }

    private static double counter(String name) {
        String metrics = io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(name))
                .mapToDouble(l -> Metrics.value(l)).sum();
    }
}
