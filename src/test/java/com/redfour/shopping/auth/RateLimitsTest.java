package com.redfour.shopping.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.bucket4j.TimeMeter;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The token bucket arithmetic and headers on a clock the test moves: no waiting, no guessing. */
class RateLimitsTest {

    /** printf %s demo-key | sha256sum */
    private static final String DEMO = "demo:c48a01f49fd0f2cc404bc3cbbc80e91457a3d41bb429a695243de4c61794155c";

    private long now;
    private final TimeMeter clock = new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return now;
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    };

    private RateLimits limits(long limit, long burst) throws Exception {
        RateLimits.Settings settings = new RateLimits.Settings() {
            @Override
            public long limit() {
                return limit;
            }

            @Override
            public long burst() {
                return burst;
            }
        };
        return new RateLimits(ApiKeys.parse(List.of(DEMO)), settings, clock, new ObjectMapper());
    }

    @Test
    void aBurstPastTheBucketIsRefusedUntilItRefills() throws Exception {
        RateLimits limits = limits(2, 4);
        for (int left = 3; left >= 0; left--) {
            RateLimits.Decision d = limits.take("Bearer demo-key");
            assertThat(d.admitted()).isTrue();
            // (4 - left) requests to earn back at 2 per second
            assertThat(d.state()).isEqualTo("\"default\";r=" + left + ";t=" + (long) Math.ceil((4 - left) / 2.0));
        }
        RateLimits.Decision refused = limits.take("Bearer demo-key");
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(refused.state()).isEqualTo("\"default\";r=0;t=2");

        now += TimeUnit.MILLISECONDS.toNanos(499);
        assertThat(limits.take("Bearer demo-key").admitted()).isFalse();
        now += TimeUnit.MILLISECONDS.toNanos(1);
        assertThat(limits.take("Bearer demo-key").admitted()).isTrue();
        assertThat(limits.take("Bearer demo-key").admitted()).isFalse();
        now += TimeUnit.SECONDS.toNanos(10);
        assertThat(limits.take("Bearer demo-key").state()).isEqualTo("\"default\";r=3;t=1");
    }

    @Test
    void eachStoreKeyHasItsOwnBucketAndRequestsWithoutOneShareOne() throws Exception {
        RateLimits limits = limits(1, 1);
        assertThat(limits.take("Bearer demo-key").admitted()).isTrue();
        assertThat(limits.take("Bearer demo-key").admitted()).isFalse();
        assertThat(limits.take(null).admitted()).isTrue();
        assertThat(limits.take("Bearer not-a-key").admitted()).isFalse();
        assertThat(limits.take("Basic abc").admitted()).isFalse();
    }
}
