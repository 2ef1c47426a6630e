package com.redfour.shopping.http;

import jakarta.ws.rs.core.MultivaluedMap;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Query parameters read as given, so that an empty or repeated parameter is refused too: every rule
 * broken is a 400 invalid-request naming the parameter.
 */
public final class QueryParameters {

    private static final Pattern DIGITS = Pattern.compile("^[0-9]{1,4}$");

    private QueryParameters() {
    }

    /** The parameter's one value, null when absent; a 400 when given more than once. */
    public static String one(MultivaluedMap<String, String> given, String name) {
        List<String> values = given.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiProblem.invalidRequest(name + " must be given at most once");
        }
        return values.get(0);
    }

    /** A limit: {@code otherwise} when absent, else an integer from 1 to {@code max} (at most 4 digits). */
    public static int limit(String value, int otherwise, int max) {
        if (value == null) {
            return otherwise;
        }
        if (DIGITS.matcher(value).matches()) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        }
        throw ApiProblem.invalidRequest("limit must be an integer from 1 to " + max);
    }
}
