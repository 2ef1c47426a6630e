package com.redfour.shopping.http;

import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;

import java.util.Set;

/**
 * Checks a request body against the Hibernate Validator annotations on its record; a violation is a
 * {@link ConstraintViolationException}, answered 422 by {@link ProblemMapper}.
 *
 * <p>The resources call this first thing instead of marking the body parameter {@code @Valid}: a
 * {@code @Valid} parameter makes the resource class one that Hibernate Validator reads at start-up,
 * every annotation of every method (the OpenAPI ones too, each annotation type becoming a proxy
 * class), which the cold start paid for (docs/performance.md, "Cold start"). Only the body records
 * are read now. The answers are the same: the same constraints, the same field names.
 */
@Singleton
public class ValidBody {

    private final Validator validator;

    public ValidBody(Validator validator) {
        this.validator = validator;
    }

    /** A body the request must carry: missing is 400, a broken constraint 422. */
    public <T> T required(T body) {
        if (body == null) {
            throw ApiProblem.invalidRequest("this request needs a JSON body");
        }
        return valid(body);
    }

    /** The body itself when it keeps every constraint of its record ({@code null} passes, as with {@code @Valid}). */
    public <T> T valid(T body) {
        if (body == null) {
            return null;
        }
        Set<ConstraintViolation<T>> violations = validator.validate(body);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return body;
    }
}
