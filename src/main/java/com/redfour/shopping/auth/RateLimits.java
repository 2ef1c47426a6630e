package com.redfour.shopping.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.http.Problem;
import com.redfour.shopping.http.ProblemType;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rate limit of the contract: a token bucket per store API key and replica, refilled at
 * {@code REDFOUR_RATE_LIMIT} requests per second up to {@code REDFOUR_RATE_BURST}. Requests without a
 * valid key share one bucket (so a flood of bad keys is limited too, and cannot grow the table). Past
 * it a request is answered {@code 429 /problems/rate-limited} with {@code Retry-After} before any
 * other work. Every {@code /v1} response carries {@code RateLimit-Policy} and {@code RateLimit}
 * (draft-ietf-httpapi-ratelimit-headers-11); health, metrics and the OpenAPI document are not limited.
 * A limit of 0 turns limiting (and the headers) off.
 */
@Singleton
public class RateLimits {

    /** {@code redfour.rate.*}, from the environment as {@code REDFOUR_RATE_LIMIT} and {@code REDFOUR_RATE_BURST}. */
    @ConfigMapping(prefix = "redfour.rate")
    public interface Settings {
        /** Requests per second per store key and replica; 0 turns limiting off. */
        @WithDefault("10000")
        long limit();

        /** The most requests a store key may send at once after a quiet spell (the bucket's size). */
        @WithDefault("20000")
        long burst();
    }

    public static final String POLICY_HEADER = "RateLimit-Policy";
    public static final String STATE_HEADER = "RateLimit";
    private static final String POLICY_NAME = "\"default\"";
    private static final String WITHOUT_KEY = "";
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final ApiKeys keys;
    private final long limit;
    private final long burst;
    private final TimeMeter clock;
    private final String policy;
    private final String problem;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Inject
    public RateLimits(ApiKeys keys, Settings settings, ObjectMapper json) throws JsonProcessingException {
        this(keys, settings, TimeMeter.SYSTEM_NANOTIME, json);
    }

    RateLimits(ApiKeys keys, Settings settings, TimeMeter clock, ObjectMapper json) throws JsonProcessingException {
        if (settings.limit() < 0 || (settings.limit() > 0 && settings.burst() < 1)) {
            throw new IllegalArgumentException("REDFOUR_RATE_LIMIT must be >= 0 and REDFOUR_RATE_BURST >= 1");
        }
        this.keys = keys;
        this.limit = settings.limit();
        this.burst = settings.burst();
        this.clock = clock;
        // The window in which the full burst is earned back: the draft's quota q per window w.
        this.policy = POLICY_NAME + ";q=" + burst + ";w=" + Math.max(1, ceilDiv(burst, Math.max(1, limit)));
        this.problem = json.writeValueAsString(ProblemType.RATE_LIMITED.problem(
                "this API key sent more than " + limit + " requests per second (burst " + burst + "); slow down"));
    }

    /** Before anything else that answers {@code /v1} requests, so that every answer carries the headers. */
    void install(@Observes @Priority(1000) Router router) {
        if (limit == 0) {
            return;
        }
        router.route("/v1/*").order(Integer.MIN_VALUE).handler(this::admit);
    }

    void admit(RoutingContext ctx) {
        Decision decision = take(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
        if (decision.admitted()) {
            // added as the headers go out, so that whatever answers (and however) cannot drop them
            ctx.addHeadersEndHandler(ignored -> ctx.response()
                    .putHeader(POLICY_HEADER, policy)
                    .putHeader(STATE_HEADER, decision.state()));
            ctx.next();
        } else {
            ctx.response()
                    .putHeader(POLICY_HEADER, policy)
                    .putHeader(STATE_HEADER, decision.state())
                    .setStatusCode(429)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.RETRY_AFTER, Long.toString(decision.retryAfterSeconds()))
                    .end(problem);
        }
    }

    /** Takes one request from the bucket of whoever {@code authorization} names. */
    Decision take(String authorization) {
        Bucket bucket = buckets.computeIfAbsent(storeOf(authorization), ignored -> newBucket());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        long remaining = probe.getRemainingTokens();
        // t: seconds until the bucket is full again, i.e. until the whole quota is back
        long untilFull = ceilDiv((burst - remaining) * NANOS_PER_SECOND, limit);
        String state = POLICY_NAME + ";r=" + remaining + ";t=" + ceilDiv(untilFull, NANOS_PER_SECOND);
        long retryAfter = probe.isConsumed() ? 0 : Math.max(1, ceilDiv(probe.getNanosToWaitForRefill(), NANOS_PER_SECOND));
        return new Decision(probe.isConsumed(), state, retryAfter);
    }

    /** Whether a request may go on, its {@code RateLimit} header and, if not, its {@code Retry-After}. */
    record Decision(boolean admitted, String state, long retryAfterSeconds) {
    }

    private String storeOf(String authorization) {
        if (authorization == null || authorization.length() <= 7 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return WITHOUT_KEY;
        }
        Optional<String> store = keys.storeOf(authorization.substring(7).trim());
        return store.orElse(WITHOUT_KEY);
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(burst).refillGreedy(limit, Duration.ofSeconds(1)).build())
                .withCustomTimePrecision(clock)
                .build();
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }
}
