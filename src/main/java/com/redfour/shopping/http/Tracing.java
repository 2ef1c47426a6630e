package com.redfour.shopping.http;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Collection;
import java.util.List;

/**
 * What the traces may carry. Every request has a server span (Quarkus's OpenTelemetry extension);
 * here its attributes are made safe and useful: the raw path, which holds the session key (as good as
 * a password to the cart) and member ids, is replaced by its redacted form as soon as a span starts,
 * and the store a request addresses is added. Spans are exported (OTLP) only when
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} is set; without it they still carry the trace ids that
 * the logs print and that are propagated with {@code traceparent}, but go nowhere.
 */
@Singleton
public class Tracing {

    /** The store of the path, on the request's server span. */
    public static final AttributeKey<String> STORE = AttributeKey.stringKey("redfour.store");

    /** Span attributes that may carry the raw path or URL (new and old semantic conventions). */
    static final List<AttributeKey<String>> PATH_ATTRIBUTES = List.of(
            AttributeKey.stringKey("url.path"), AttributeKey.stringKey("url.full"),
            AttributeKey.stringKey("http.target"), AttributeKey.stringKey("http.url"));

    /** Replaces the session keys and member ids in a span's path attributes before anyone sees them. */
    @Produces
    @Singleton
    SpanProcessor redactPaths() {
        return new SpanProcessor() {
            @Override
            public void onStart(Context parent, ReadWriteSpan span) {
                for (AttributeKey<String> key : PATH_ATTRIBUTES) {
                    String value = span.getAttribute(key);
                    if (value != null) {
                        span.setAttribute(key, RequestErrorLog.redact(value));
                    }
                }
            }

            @Override
            public boolean isStartRequired() {
                return true;
            }

            @Override
            public void onEnd(ReadableSpan span) {
            }

            @Override
            public boolean isEndRequired() {
                return false;
            }
        };
    }

    /**
     * Without a collector ({@code redfour.tracing.export=none}, the default when no OTLP endpoint is
     * set) spans are handed to this exporter, which drops them: Quarkus then installs no OTLP exporter,
     * which would otherwise try {@code localhost:4317} and log an error every few seconds.
     */
    @Produces
    @Singleton
    @LookupIfProperty(name = "redfour.tracing.export", stringValue = "none")
    SpanExporter dropSpans() {
        return new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
    }

    /**
     * Without a collector, spans are not recorded at all (they keep their trace and span ids, which the
     * logs print and {@code traceparent} carries): recording spans only to drop them cost 1.18 x the
     * JVM's work per change under load (docs/performance.md, issue 14). With a collector, Quarkus's
     * configured sampler applies ({@code QUARKUS_OTEL_TRACES_SAMPLER}).
     */
    @Produces
    @Singleton
    @LookupIfProperty(name = "redfour.tracing.export", stringValue = "none")
    Sampler recordNothing() {
        return Sampler.alwaysOff();
    }

    /** The store of every request that addresses one, as an attribute of its server span. */
    @ServerRequestFilter
    public void tagStore(UriInfo uri) {
        String store = uri.getPathParameters().getFirst("store");
        if (store != null) {
            Span.current().setAttribute(STORE, store.length() > 63 ? store.substring(0, 63) : store);
        }
    }
}
