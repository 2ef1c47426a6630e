package com.redfour.shopping.session.api;

import com.redfour.shopping.http.Problem;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.Lifetime;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.Status;
import com.redfour.shopping.session.store.AppliedKey;
import com.redfour.shopping.session.write.Outcome;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every outcome the store answers with, and the response it becomes: the one mapping, without HTTP. */
class AnswersTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00Z");
    private static final Session SESSION = Session.create(new SessionId("demo", "k7Qm2v9XcL0pRt4sWz"),
            new Arrival("/", null, "203.0.113.9", "USD"), null, AT);
    private static final Answers ANSWERS = new Answers(new Lifetime(Duration.ofDays(30), Duration.ofDays(1)));

    /** What an outcome must be answered with: status, problem type (null for a success) and headers that must be there. */
    private record Expected(int status, String type, Map<String, String> headers) {
        static Expected ok(int status, Map<String, String> headers) {
            return new Expected(status, null, headers);
        }

        static Expected problem(int status, String type) {
            return new Expected(status, "/problems/" + type, Map.of());
        }
    }

    private static Map<Outcome, Expected> cases() {
        Map<Outcome, Expected> cases = new LinkedHashMap<>();
        cases.put(new Outcome.Created(SESSION), Expected.ok(201, Map.of("ETag", "\"1\"",
                "Location", "/v1/stores/demo/sessions/k7Qm2v9XcL0pRt4sWz")));
        cases.put(new Outcome.Found(SESSION), Expected.ok(200, Map.of("ETag", "\"1\"")));
        cases.put(new Outcome.Changed(SESSION), Expected.ok(200, Map.of("ETag", "\"1\"")));
        cases.put(new Outcome.Deleted(), Expected.ok(204, Map.of()));
        cases.put(new Outcome.Replayed(AppliedKey.Kind.CREATED, SESSION), Expected.ok(201, Map.of("Idempotent-Replayed", "true",
                "ETag", "\"1\"")));
        cases.put(new Outcome.Replayed(AppliedKey.Kind.CHANGED, SESSION), Expected.ok(200, Map.of("Idempotent-Replayed", "true")));
        cases.put(new Outcome.Replayed(AppliedKey.Kind.DELETED, null), Expected.ok(204, Map.of("Idempotent-Replayed", "true")));
        cases.put(new Outcome.NotFound(), Expected.problem(404, "not-found"));
        cases.put(new Outcome.Expired(), Expected.problem(410, "session-expired"));
        cases.put(new Outcome.PreconditionFailed(5L), Expected.problem(412, "precondition-failed"));
        cases.put(new Outcome.PreconditionFailed(null), Expected.problem(412, "precondition-failed"));
        cases.put(new Outcome.VersionConflict(), new Expected(409, "/problems/version-conflict", Map.of("Retry-After", "1")));
        cases.put(new Outcome.KeyReused(), Expected.problem(422, "idempotency-key-reused"));
        cases.put(new Outcome.LinkRefused(Outcome.LinkRefusal.UNKNOWN), Expected.problem(404, "not-found"));
        cases.put(new Outcome.LinkRefused(Outcome.LinkRefusal.USED), Expected.problem(410, "recovery-link-used"));
        cases.put(new Outcome.LinkRefused(Outcome.LinkRefusal.EXPIRED), Expected.problem(410, "recovery-link-expired"));
        cases.put(new Outcome.LinkRefused(Outcome.LinkRefusal.NOTHING_TO_RECOVER), Expected.problem(409, "nothing-to-recover"));
        cases.put(new Outcome.Rejected(ChangeRejected.notFound("no line l9")), Expected.problem(404, "not-found"));
        cases.put(new Outcome.Rejected(ChangeRejected.closed(Status.CLOSED)), Expected.problem(409, "session-closed"));
        cases.put(new Outcome.Rejected(ChangeRejected.ambiguous("2 lines")), Expected.problem(409, "ambiguous-line"));
        cases.put(new Outcome.Rejected(ChangeRejected.invalid("price", "must not be negative")), Expected.problem(422, "validation-failed"));
        return cases;
    }

    @Test
    void everyOutcomeBecomesItsStatusHeadersAndProblem() {
        cases().forEach((outcome, expected) -> {
            RestResponse<SessionView> response = ANSWERS.respond(outcome);
            assertThat(response.getStatus()).as(outcome.toString()).isEqualTo(expected.status());
            expected.headers().forEach((name, value) ->
                    assertThat(response.getHeaderString(name)).as(outcome + " " + name).isEqualTo(value));
            if (expected.type() == null) {
                assertThat(response.getHeaderString("Idempotent-Replayed") != null)
                        .as(outcome + ": only a replay says so").isEqualTo(outcome instanceof Outcome.Replayed);
                if (expected.status() != 204) {
                    assertThat(response.getEntity().key()).isEqualTo(SESSION.id().key());
                    assertThat(response.getEntity().expiresAt()).as("the empty-session lifetime").isEqualTo("2026-11-24T10:00:00.000Z");
                }
                return;
            }
            Object entity = response.getEntity(); // a problem stands in for the session (Answers.problem)
            assertThat(entity).as(outcome.toString()).isInstanceOf(Problem.class);
            Problem problem = (Problem) entity;
            assertThat(problem.type()).as(outcome.toString()).isEqualTo(expected.type());
            assertThat(problem.status()).isEqualTo(expected.status());
            assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        });
    }

    @Test
    void aPreconditionFailureCarriesTheCurrentVersionAndAnInvalidChangeItsField() {
        Problem failed = (Problem) (Object) ANSWERS.respond(new Outcome.PreconditionFailed(5L)).getEntity();
        assertThat(failed.currentVersion()).isEqualTo(5L);
        Problem invalid = (Problem) (Object) ANSWERS.respond(new Outcome.Rejected(ChangeRejected.invalid("price", "must not be negative")))
                .getEntity();
        assertThat(invalid.errors()).containsExactly(new Problem.FieldError("price", "must not be negative"));
    }

    @Test
    void theCasesCoverEveryKindOfOutcome() {
        Set<Class<?>> covered = new HashSet<>();
        cases().keySet().forEach(outcome -> covered.add(outcome.getClass()));
        Set<Class<?>> kinds = new HashSet<>();
        Deque<Class<?>> open = new ArrayDeque<>(List.of(Outcome.class));
        while (!open.isEmpty()) {
            Class<?> type = open.pop();
            if (type.isSealed()) {
                open.addAll(List.of(type.getPermittedSubclasses()));
            } else {
                kinds.add(type);
            }
        }
        assertThat(covered).isEqualTo(kinds);
        Set<Object> refusals = new HashSet<>();
        cases().keySet().forEach(outcome -> {
            if (outcome instanceof Outcome.LinkRefused link) {
                refusals.add(link.why());
            } else if (outcome instanceof Outcome.Rejected rejected) {
                refusals.add(rejected.reason().reason());
            }
        });
        assertThat(refusals).containsAll(List.of(Outcome.LinkRefusal.values())).containsAll(List.of(ChangeRejected.Reason.values()));
    }
}
