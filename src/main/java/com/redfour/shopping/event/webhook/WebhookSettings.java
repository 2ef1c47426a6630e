package com.redfour.shopping.event.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;

/** The operational knobs of webhook delivery ({@code redfour.webhooks.*}, docs/webhooks.md). */
@ConfigMapping(prefix = "redfour.webhooks")
public interface WebhookSettings {

    /** Allow URLs whose host resolves to a loopback, private, link-local or unique-local address. */
    @WithName("allow-private")
    @WithDefault("false")
    boolean allowPrivate();

    /** Whether this replica fans out and sends at all (subscriptions can be managed either way). */
    @WithDefault("true")
    boolean enabled();

    /** How often each replica looks for events to fan out and deliveries that are due. */
    @WithName("poll-interval")
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** Deliveries one replica claims and sends at most in one run. */
    @WithName("batch-size")
    @WithDefault("100")
    int batchSize();

    /** Subscriptions one fan-out run looks at, and events it takes per subscription. */
    @WithName("fan-out.subscriptions")
    @WithDefault("20")
    int fanOutSubscriptions();

    @WithName("fan-out.events")
    @WithDefault("1000")
    int fanOutEvents();

    /** How long a receiver has to answer a delivery. */
    @WithDefault("PT10S")
    Duration timeout();

    /** How long a claimed delivery is reserved for the replica sending it (longer than the timeout). */
    @WithDefault("PT1M")
    Duration lease();

    /** Wait after the first failed attempt; doubled after each further one. */
    @WithName("retry.initial")
    @WithDefault("PT10S")
    Duration retryInitial();

    /** The longest wait between two attempts. */
    @WithName("retry.max")
    @WithDefault("PT1H")
    Duration retryMax();

    /** A delivery still failing this long after its first attempt is given up (failed). */
    @WithName("retry.give-up-after")
    @WithDefault("PT24H")
    Duration giveUpAfter();

    /** How often the backlog gauges are read from the database. */
    @WithName("metrics-interval")
    @WithDefault("PT10S")
    Duration metricsInterval();

    default Backoff backoff() {
        return new Backoff(retryInitial(), retryMax(), giveUpAfter());
    }
}
