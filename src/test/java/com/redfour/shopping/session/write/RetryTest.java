package com.redfour.shopping.session.write;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/** The retry policy: how many attempts, and how long between them. */
class RetryTest {

    /** Always draws the largest value allowed, so the bound itself is seen. */
    private static final RandomGenerator HIGHEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            throw new UnsupportedOperationException();
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    /** Always draws zero. */
    private static final RandomGenerator LOWEST = new RandomGenerator() {
        @Override
        public long nextLong() {
            return 0;
        }

        @Override
        public long nextLong(long bound) {
            return 0;
        }
    };

    @Test
    void attemptsRunOutAtTheConfiguredNumber() {
        Retry retry = new Retry(3, Duration.ofMillis(50), LOWEST);
        assertThat(retry.exhausted(1)).isFalse();
        assertThat(retry.exhausted(2)).isFalse();
        assertThat(retry.exhausted(3)).isTrue();
    }

    @Test
    void everyWaitIsAtLeastOneMillisecond() {
        Retry retry = new Retry(8, Duration.ofMillis(50), LOWEST);
        for (int attempt = 1; attempt < 8; attempt++) {
            assertThat(retry.delay(attempt)).isEqualTo(Duration.ofMillis(1));
        }
    }

    @Test
    void theBoundDoublesWithEachAttemptUpToTheCap() {
        Retry retry = new Retry(8, Duration.ofMillis(5), HIGHEST);
        long nanosPerMilli = 1_000_000L;
        assertThat(retry.delay(1).toNanos()).isEqualTo(nanosPerMilli + 2 * nanosPerMilli - 1);
        assertThat(retry.delay(2).toNanos()).isEqualTo(nanosPerMilli + 4 * nanosPerMilli - 1);
        assertThat(retry.delay(3).toNanos()).isEqualTo(nanosPerMilli + 5 * nanosPerMilli - 1);
        assertThat(retry.delay(40).toNanos()).isEqualTo(nanosPerMilli + 5 * nanosPerMilli - 1);
    }

    @Test
    void aCapBelowOneMillisecondStillWaitsAtMostTwo() {
        Retry retry = new Retry(8, Duration.ZERO, HIGHEST);
        assertThat(retry.delay(5).toNanos()).isEqualTo(2_000_000L - 1);
    }
}
