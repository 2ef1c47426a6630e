package com.redfour.shopping.http;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a resource: every {@code Uni} its endpoints answer with is bounded by the {@link RequestDeadline},
 * whatever it waits for. A {@code Multi} (a stream) is left unbounded: it is meant to last.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface WithDeadline {
}
