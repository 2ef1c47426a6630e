package com.redfour.shopping.event.webhook.api;

import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** The request body of {@code PUT /webhooks/{id}}. */
@RegisterForReflection(targets = WebhookBodies.Subscribe.class)
public final class WebhookBodies {

    private WebhookBodies() {
    }

    /**
     * A subscription: where to send and which event types ({@code ["*"]}, the default, for all).
     */
    public record Subscribe(
            @NotNull @Size(min = 1, max = 2048) String url,
            @Size(min = 1, max = 50) List<@NotNull String> types,
            @Size(max = 500) String description) {
    }
}
