package com.redfour.shopping.http;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Every database wait is bounded (connect, pool, statement timeouts); this bounds a whole request
 * too ({@code redfour.request.deadline}, 10 s by default), so that even a connection the network
 * silently dropped costs a 503, not a hang. A change answered so may still have been written: the
 * client retries with its Idempotency-Key.
 */
@Singleton
public class RequestDeadline {

    private final Duration deadline;

    public RequestDeadline(@ConfigProperty(name = "redfour.request.deadline", defaultValue = "PT10S") Duration deadline) {
        this.deadline = deadline;
    }

    public <T> Uni<T> bound(Uni<T> pipeline) {
        return pipeline.ifNoItem().after(deadline)
                .failWith(() -> new Unavailable("no answer within " + deadline + "; try again shortly", null));
    }
}
