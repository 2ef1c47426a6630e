package com.redfour.shopping.session.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Configuration of sessions ({@code redfour.session.*}). */
@ConfigMapping(prefix = "redfour.session")
public interface SessionSettings {

    /** How long a session lives after its last change. */
    @WithDefault("P30D")
    Duration ttl();

    /** How long a session with nothing in it (no lines, member, note or attributes) lives after its last change. */
    @WithDefault("P1D")
    Duration emptyTtl();

    /** How many lines a session holds at most. */
    @WithDefault("250")
    int maxLines();

    /** The currency of a session created without one. */
    @WithDefault("USD")
    String defaultCurrency();

    /** How often a change that lost a race is re-applied before the client sees 409. */
    @WithDefault("8")
    int maxAttempts();

    /** The longest wait between two attempts (each waits a random time up to a growing bound). */
    @WithDefault("PT0.05S")
    Duration maxRetryDelay();

    /**
     * Whether every change records its events (session_event: the event list, stream and webhooks read
     * them). Off only for a deployment that uses none of those; measured in bench/run.sh.
     */
    @WithDefault("true")
    boolean recordEvents();
}
