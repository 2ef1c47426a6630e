package com.redfour.shopping.event.webhook;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Optional;

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

    /**
     * The floor: how often each replica looks for events to fan out and queues that are due even
     * when nothing woke it (a commit on any replica wakes it at once; a retry's time comes this way).
     */
    @WithName("poll-interval")
    @WithDefault("PT0.5S")
    Duration pollInterval();

    /** How long a wake-up waits for more: commits within this time are fanned out in one run. */
    @WithName("wake-delay")
    @WithDefault("PT0.02S")
    Duration wakeDelay();

    /** Sessions one replica sends to at once (each run sends one session's deliveries in order). */
    @WithDefault("100")
    int concurrency();

    /**
     * Connections of the pool that the runs' steps use at once, at most (they wait their turn beyond
     * that; the pump, one at a time, uses one more): the rest always serve the changes. Unset: 40 %
     * of the pool ({@code quarkus.datasource.reactive.max-size}).
     */
    Optional<Integer> connections();

    /** Sessions one replica sends to one subscription at once: a slow endpoint takes no more. */
    @WithName("per-subscription")
    @WithDefault("25")
    int perSubscription();

    /**
     * Deliveries of one session a run reads in one step and sends one after another (each once the
     * one before was answered), recording them all in its next step: a busy session's deliveries cost
     * one statement per batch, not one each.
     */
    @WithName("session-batch")
    @WithDefault("16")
    int sessionBatch();

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

    /**
     * How often a replica that sent or queued deliveries since its last vacuum clears the queue
     * table's dead rows (the claim reads past them until then); 0: never, autovacuum alone.
     */
    @WithName("vacuum-interval")
    @WithDefault("PT2S")
    Duration vacuumInterval();

    /** How often the backlog gauges are read from the database. */
    @WithName("metrics-interval")
    @WithDefault("PT10S")
    Duration metricsInterval();

    /** {@link #concurrency()}, at least 1 (a replica that delivers at all sends to one session at a time). */
    default int runs() {
        return Math.max(1, concurrency());
    }

    /** {@link #perSubscription()}, at least 1. */
    default int runsPerSubscription() {
        return Math.max(1, perSubscription());
    }

    /** {@link #sessionBatch()}, at least 1. */
    default int deliveriesPerStep() {
        return Math.max(1, sessionBatch());
    }

    default Backoff backoff() {
        return new Backoff(retryInitial(), retryMax(), giveUpAfter());
    }
}
