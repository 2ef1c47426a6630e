package com.redfour.shopping.ops;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without a collector (no OTLP endpoint, as in every test but {@link TracingTest}) spans are not
 * recorded: they cost nothing but still carry valid trace and span ids for the logs and traceparent.
 */
@QuarkusTest
class TracingWithoutCollectorTest {

    @Inject
    OpenTelemetry openTelemetry;

    @Test
    void spansAreNotRecordedButHaveIds() {
        Span span = openTelemetry.getTracer("test").spanBuilder("a request").startSpan();
        try {
            assertThat(span.isRecording()).isFalse();
            assertThat(span.getSpanContext().isValid()).isTrue();
            assertThat(span.getSpanContext().isSampled()).isFalse();
        } finally {
            span.end();
        }
    }
}
