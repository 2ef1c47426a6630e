package com.redfour.shopping.event.webhook;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry schedule of the contract: 10 s, doubling, at most an hour. */
class BackoffTest {

    private final Backoff contract = new Backoff(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofHours(24));

    @Test
    void startsAtTenSecondsAndDoublesUpToAnHour() {
        assertThat(contract.after(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(contract.after(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(contract.after(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(contract.after(9)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(contract.after(10)).isEqualTo(Duration.ofHours(1));
        assertThat(contract.after(1000)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void jitterOnlyShortensByAtMostAFifth() {
        assertThat(contract.afterWithJitter(1, 0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(contract.afterWithJitter(1, 0.999999)).isGreaterThan(Duration.ofSeconds(8));
        assertThat(contract.afterWithJitter(20, 0.5)).isEqualTo(Duration.ofMinutes(54));
    }

    @Test
    void aDayOfRetriesIsAboutThirtyAttempts() {
        Duration total = Duration.ZERO;
        int attempts = 1;
        while (total.compareTo(Duration.ofHours(24)) < 0) {
            total = total.plus(contract.after(attempts++));
        }
        assertThat(attempts).isBetween(30, 35);
    }
}
