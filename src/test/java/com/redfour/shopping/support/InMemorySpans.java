package com.redfour.shopping.support;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Keeps every finished span in memory, for the tests that read traces back; only in a test profile
 * that sets {@code redfour.test.spans=true} (so the rest of the suite does not pile spans up).
 */
@Singleton
@IfBuildProperty(name = "redfour.test.spans", stringValue = "true")
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
