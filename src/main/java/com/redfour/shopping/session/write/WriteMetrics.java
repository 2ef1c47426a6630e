package com.redfour.shopping.session.write;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/** Counts what the write pipeline does, for operators ({@code /q/metrics}). */
@ApplicationScoped
public class WriteMetrics {

    private final Counter changesWritten;
    private final Counter writes;
    private final Counter conflicts;
    private final Counter exhausted;
    private final Counter replays;

    public WriteMetrics(MeterRegistry registry) {
        changesWritten = Counter.builder("redfour.session.changes.written")
                .description("Changes saved (several can share one write)").register(registry);
        writes = Counter.builder("redfour.session.writes")
                .description("Versioned writes of a session row that succeeded").register(registry);
        conflicts = Counter.builder("redfour.session.version.conflicts")
                .description("Writes that lost the version check and were retried on the fresh row").register(registry);
        exhausted = Counter.builder("redfour.session.retries.exhausted")
                .description("Changes answered 409 version-conflict after their last attempt").register(registry);
        replays = Counter.builder("redfour.session.idempotent.replays")
                .description("Requests answered from an earlier one with the same Idempotency-Key").register(registry);
    }

    void written(int changes) {
        writes.increment();
        changesWritten.increment(changes);
    }

    void conflict() {
        conflicts.increment();
    }

    void exhausted() {
        exhausted.increment();
    }

    void replayed() {
        replays.increment();
    }
}
