package com.redfour.shopping.event.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** What webhook delivery does, for operators ({@code /q/metrics}). */
@ApplicationScoped
public class WebhookMetrics {

    private final Counter delivered;
    private final Counter retrying;
    private final Counter failed;
    private final Timer latency;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestAgeMillis = new AtomicLong();

    public WebhookMetrics(MeterRegistry registry) {
        String deliveries = "redfour.webhook.deliveries";
        String description = "Delivery attempts by outcome: delivered (2xx), retrying (failed, tried again later), "
                + "failed (given up after the retry window)";
        delivered = Counter.builder(deliveries).tag("outcome", "delivered").description(description).register(registry);
        retrying = Counter.builder(deliveries).tag("outcome", "retrying").description(description).register(registry);
        failed = Counter.builder(deliveries).tag("outcome", "failed").description(description).register(registry);
        latency = Timer.builder("redfour.webhook.delivery.latency")
                .description("From an event's time to its successful delivery")
                .publishPercentiles(0.5, 0.99)
                .publishPercentileHistogram()
                .register(registry);
        Gauge.builder("redfour.webhook.backlog", pending, AtomicLong::get)
                .description("Deliveries waiting to be sent (all subscriptions, all replicas)").register(registry);
        Gauge.builder("redfour.webhook.oldest.undelivered.age", oldestAgeMillis, v -> v.get() / 1000.0)
                .baseUnit("seconds")
                .description("Age of the oldest event with a pending delivery").register(registry);
    }

    void delivered(Duration sinceEvent) {
        delivered.increment();
        latency.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
    }

    void retrying() {
        retrying.increment();
    }

    void failed() {
        failed.increment();
    }

    void backlog(DeliveryQueue.Backlog backlog) {
        pending.set(backlog.pending());
        oldestAgeMillis.set((long) (backlog.oldestAgeSeconds() * 1000));
    }
}
