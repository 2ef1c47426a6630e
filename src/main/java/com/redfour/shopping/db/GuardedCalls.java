package com.redfour.shopping.db;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

/** Applies {@link Unavailability#guarded} to what a {@link Guarded} method returns, when that is a {@code Uni}. */
@Guarded
@Interceptor
@Priority(Interceptor.Priority.PLATFORM_AFTER)
public class GuardedCalls {

    @AroundInvoke
    Object guard(InvocationContext call) throws Exception {
        Object result = call.proceed();
        return result instanceof Uni<?> work ? Unavailability.guarded(work) : result;
    }
}
