package com.redfour.shopping.session.api;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Instants on the wire: UTC, always three fraction digits. */
class SessionViewTest {

    @Test
    void instantsAreWrittenWithMilliseconds() {
        assertThat(SessionView.timestamp(Instant.parse("2026-11-23T10:00:00.123Z"))).isEqualTo("2026-11-23T10:00:00.123Z");
        assertThat(SessionView.timestamp(Instant.parse("2026-11-23T10:00:00Z"))).isEqualTo("2026-11-23T10:00:00.000Z");
        assertThat(SessionView.timestamp(Instant.parse("2026-11-23T10:00:00.100Z"))).isEqualTo("2026-11-23T10:00:00.100Z");
        assertThat(SessionView.timestamp(Instant.parse("2026-11-23T10:00:00.123456Z"))).isEqualTo("2026-11-23T10:00:00.123Z");
        assertThat(SessionView.timestamp(Instant.parse("2026-11-23T10:00:00.000456Z"))).isEqualTo("2026-11-23T10:00:00.000Z");
    }
}
