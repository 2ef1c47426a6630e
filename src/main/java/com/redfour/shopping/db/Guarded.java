package com.redfour.shopping.db;

import jakarta.interceptor.InterceptorBinding;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a facade over the database: every {@code Uni} its methods return is {@link Unavailability#guarded},
 * so a database that cannot be reached leaves it as {@link StoreUnavailable}, once, for every method.
 */
@InterceptorBinding
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
public @interface Guarded {
}
