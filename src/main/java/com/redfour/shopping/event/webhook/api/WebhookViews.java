package com.redfour.shopping.event.webhook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.redfour.shopping.event.webhook.Subscriptions;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** What the webhook endpoints answer. */
@RegisterForReflection(targets = {WebhookViews.Webhook.class, WebhookViews.DeliveryState.class,
        WebhookViews.LastFailure.class, WebhookViews.Webhooks.class, WebhookViews.Delivery.class,
        WebhookViews.Deliveries.class})
public final class WebhookViews {

    private static final DateTimeFormatter UTC_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WebhookViews() {
    }

    /** A subscription; {@code secret} only in the response that created it. */
    public record Webhook(String id, String url, List<String> types, String description,
            @JsonInclude(JsonInclude.Include.NON_NULL) String secret, String createdAt, String updatedAt,
            DeliveryState delivery) {

        static Webhook of(Subscriptions.Subscription s, String secret) {
            LastFailure failure = s.lastFailureAt() == null ? null
                    : new LastFailure(time(s.lastFailureAt()), s.lastFailureStatus(), s.lastFailureError());
            return new Webhook(s.id(), s.url(), s.types(), s.description(), secret, time(s.createdAt()),
                    time(s.updatedAt()), new DeliveryState(s.pending(), s.failed(), time(s.lastSuccessAt()), failure));
        }
    }

    /**
     * Where the subscription's deliveries stand: how many wait to be sent, how many were given up,
     * when one last succeeded, and the last failed attempt ({@code status} null when no HTTP answer came).
     */
    public record DeliveryState(long pending, long failed, String lastSuccessAt, LastFailure lastFailure) {
    }

    public record LastFailure(String at, Integer status, String error) {
    }

    public record Webhooks(List<Webhook> webhooks) {
    }

    /** One event's delivery to the subscription. */
    public record Delivery(String eventId, String sessionKey, String type, String eventAt, String status, int attempts,
            String firstAttemptAt, String lastAttemptAt, String nextAttemptAt, Integer lastStatus, String lastError) {

        static Delivery of(Subscriptions.Delivery d, String eventId) {
            return new Delivery(eventId, d.sessionKey(), d.type(), time(d.eventAt()), d.status(), d.attempts(),
                    time(d.firstAttemptAt()), time(d.lastAttemptAt()),
                    d.status().equals("pending") ? time(d.nextAttemptAt()) : null, d.lastStatus(), d.lastError());
        }
    }

    /** A page of deliveries; {@code next} is the {@code after} of the next page, null on the last. */
    public record Deliveries(List<Delivery> deliveries, String next) {
    }

    static String time(Instant instant) {
        return instant == null ? null : UTC_MILLIS.format(instant);
    }
}
