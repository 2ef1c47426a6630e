package com.redfour.shopping.session.api;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.session.SessionId;
import jakarta.ws.rs.core.UriInfo;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules of every path segment of the session API, checked in one place: a segment that breaks one is a 400. */
final class PathSegments {

    private static final Map<String, Pattern> RULES = Map.of(
            "sku", Pattern.compile(Bodies.SKU),
            "code", Pattern.compile(Bodies.CODE),
            "lineId", Pattern.compile(Bodies.LINE_ID),
            "memberId", Pattern.compile(Bodies.MEMBER_ID));

    private PathSegments() {
    }

    /** Checks the request's path segments other than the session's address. */
    static void check(UriInfo uri) {
        for (Map.Entry<String, List<String>> param : uri.getPathParameters().entrySet()) {
            Pattern rule = RULES.get(param.getKey());
            for (String value : param.getValue()) {
                if (rule != null && !rule.matcher(value).matches()) {
                    throw ApiProblem.invalidRequest(param.getKey() + " must match " + rule.pattern());
                }
            }
        }
    }

    /** The session's address, or a 400 naming the segment that is malformed. */
    static SessionId sessionId(String store, String key) {
        try {
            return new SessionId(store, key);
        } catch (IllegalArgumentException e) {
            throw ApiProblem.invalidRequest(e.getMessage());
        }
    }

    /** A store id on its own (the member endpoints). */
    static String store(String store) {
        if (!SessionId.isValidStore(store)) {
            throw ApiProblem.invalidRequest("store must be a lower-case store id or domain");
        }
        return store;
    }
}
