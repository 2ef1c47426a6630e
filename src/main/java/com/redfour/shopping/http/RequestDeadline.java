package com.redfour.shopping.http;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Every database wait is bounded (connect, pool, statement timeouts); this bounds a whole request
 * too ({@code redfour.request.deadline}, 10 s by default), so that even a connection the network
 * silently dropped costs a 503, not a hang. A change answered so may still have been written: the
 * client retries with its Idempotency-Key. Applied to every endpoint of a {@link WithDeadline} resource.
 */
@WithDeadline
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_BEFORE)
public class RequestDeadline {

    @Inject
    @ConfigProperty(name = "redfour.request.deadline", defaultValue = "PT10S")
    Duration deadline;

    @AroundInvoke
    Object bound(InvocationContext endpoint) throws Exception {
        Object answer = endpoint.proceed();
        return answer instanceof Uni<?> pipeline ? bound(pipeline) : answer;
    }

    <T> Uni<T> bound(Uni<T> pipeline) {
        return pipeline.ifNoItem().after(deadline)
                .failWith(() -> new Unavailable("no answer within " + deadline + "; try again shortly", null));
    }
}
