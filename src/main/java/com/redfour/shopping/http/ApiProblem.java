package com.redfour.shopping.http;

import java.util.List;

/** An error found at the HTTP edge (a bad header, path segment or body), answered as a problem. */
public final class ApiProblem extends RuntimeException {

    private final ProblemType type;
    private final List<Problem.FieldError> errors;

    public ApiProblem(ProblemType type, String detail, List<Problem.FieldError> errors) {
        super(detail, null, false, false);
        this.type = type;
        this.errors = errors;
    }

    public static ApiProblem invalidRequest(String detail) {
        return new ApiProblem(ProblemType.INVALID_REQUEST, detail, null);
    }

    public static ApiProblem invalidField(String field, String message) {
        return new ApiProblem(ProblemType.VALIDATION_FAILED, field + " " + message,
                List.of(new Problem.FieldError(field, message)));
    }

    public ProblemType type() {
        return type;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
