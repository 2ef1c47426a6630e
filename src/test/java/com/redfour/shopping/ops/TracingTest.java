package com.redfour.shopping.ops;

import com.redfour.shopping.support.Api;
import com.redfour.shopping.support.Rival;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The traces, read back from an in-memory exporter: a request joins the caller's W3C trace, its
 * server span names the route and the store but never the session key, the SQL statements are its
 * children, and the write pipeline's lost version checks are events on it.
 */
@QuarkusTest
@TestProfile(TracingTest.Spans.class)
public class TracingTest {

    /** Spans kept in memory, exported every 50 ms. */
    public static class Spans implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // an exporter other than "none": spans are recorded (without a collector they are not)
            return Map.of("redfour.test.spans", "true", "quarkus.otel.bsp.schedule.delay", "PT0.05S",
                    "redfour.api.keys", Api.KEYS, "redfour.tracing.export", "memory");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void oneAddIsOneServerSpanInTheCallersTraceWithItsStatementsAsChildren() {
        String key = createSession();
        String traceId = hex(16);
        String parentId = hex(8);
        api().header("traceparent", "00-" + traceId + "-" + parentId + "-01")
                .body(Map.of("sku", "RKT-1", "name", "Falcon", "price", new java.math.BigDecimal("19.99"), "quantity", 2))
                .post(session(key) + "/items").then().statusCode(200)
                .header("traceparent", (String) null);

        List<SpanData> trace = await(s -> s.getTraceId().equals(traceId), list -> list.stream().anyMatch(s -> s.getKind() == SpanKind.SERVER));
        SpanData server = trace.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
        System.out.println("Span tree of one POST /items:\n" + tree(trace, server, ""));

        assertThat(server.getParentSpanId()).isEqualTo(parentId);
        assertThat(server.getName()).isEqualTo("POST /v1/stores/{store}/sessions/{key}/items");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/v1/stores/{store}/sessions/{key}/items");
        assertThat(server.getAttributes().get(AttributeKey.stringKey("redfour.store"))).isEqualTo("demo");
        assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
        assertThat(trace).filteredOn(s -> s.getKind() == SpanKind.CLIENT && s.getParentSpanId().equals(server.getSpanId()))
                .isNotEmpty();
        for (SpanData span : trace) {
            assertThat(span.getName()).doesNotContain(key);
            span.getAttributes().forEach((k, v) -> assertThat(String.valueOf(v)).as(k.getKey()).doesNotContain(key));
            span.getEvents().forEach(e -> assertThat(e.getAttributes().toString()).doesNotContain(key));
        }
    }

    @Test
    void aWriteThatLosesTheVersionCheckShowsItsRetriesAsEventsOnItsSpan() throws Exception {
        String key = createSession();
        List<String> traces = new ArrayList<>();
        try (Rival rival = Rival.start("demo", key)) {
            for (int i = 0; i < 40; i++) {
                String traceId = hex(16);
                traces.add(traceId);
                int status = api().header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
                        .body(Map.of("sku", "RKT-1", "name", "Falcon", "price", 1, "quantity", 1))
                        .post(session(key) + "/items").statusCode();
                assertThat(status).isIn(200, 409);
            }
        }
        List<SpanData> retried = await(s -> traces.contains(s.getTraceId()) && s.getKind() == SpanKind.SERVER
                && s.getEvents().stream().anyMatch(e -> e.getName().equals("redfour.version_conflict")), list -> !list.isEmpty());
        var event = retried.get(0).getEvents().stream().filter(e -> e.getName().equals("redfour.version_conflict")).findFirst().orElseThrow();
        assertThat(event.getAttributes().get(AttributeKey.longKey("redfour.attempt"))).isPositive();
        assertThat(event.getAttributes().get(AttributeKey.longKey("redfour.retry_delay_us"))).isPositive();
    }

    /** Polls the exporter (spans are exported in batches every 50 ms) until {@code done} holds, for at most 10 s. */
    private List<SpanData> await(Predicate<SpanData> which, Predicate<List<SpanData>> done) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<SpanData> found = List.of();
        while (System.nanoTime() < deadline) {
            found = spans.getFinishedSpanItems().stream().filter(which).toList();
            if (done.test(found)) {
                return found;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no such spans within 10 s; have " + found);
    }

    private static String tree(List<SpanData> spans, SpanData root, String indent) {
        StringBuilder out = new StringBuilder(indent).append(root.getKind()).append(' ').append(root.getName())
                .append("  ").append((root.getEndEpochNanos() - root.getStartEpochNanos()) / 1000).append(" µs  ")
                .append(root.getAttributes().asMap().entrySet().stream()
                        .map(e -> e.getKey().getKey() + "=" + e.getValue()).sorted().toList())
                .append('\n');
        root.getEvents().forEach(e -> out.append(indent).append("  event ").append(e.getName()).append(' ').append(e.getAttributes()).append('\n'));
        spans.stream().filter(s -> s.getParentSpanId().equals(root.getSpanId()))
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
                .forEach(child -> out.append(tree(spans, child, indent + "  ")));
        return out.toString();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }
}
