package com.redfour.shopping.event.webhook.api;

import com.redfour.shopping.event.store.EventTable;
import com.redfour.shopping.event.webhook.Subscriptions;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.Problem;
import com.redfour.shopping.http.ProblemType;
import com.redfour.shopping.session.Happened;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a webhook request names and asks for, checked: the subscription id, its event types, a
 * delivery status, event ids and a page size. A value that breaks a rule is answered 400
 * (invalid-request), event types 422 (validation-failed, one error each).
 */
final class WebhookParams {

    static final Pattern ID = Pattern.compile("^[a-z0-9-]{1,64}$");
    static final int MAX_LIMIT = 500;
    static final int DEFAULT_LIMIT = 100;

    private WebhookParams() {
    }

    static void checkId(String id) {
        if (!ID.matcher(id).matches()) {
            throw ApiProblem.invalidRequest("webhook id must match " + ID.pattern());
        }
    }

    /** The subscription's types: ["*"] (also when absent), or distinct known event types. */
    static List<String> types(List<String> given) {
        if (given == null) {
            return List.of(Subscriptions.ALL_TYPES);
        }
        List<Problem.FieldError> errors = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String type = given.get(i);
            if (type.equals(Subscriptions.ALL_TYPES) ? given.size() > 1 : !Happened.TYPES.contains(type)) {
                errors.add(new Problem.FieldError("types[" + i + "]", type.equals(Subscriptions.ALL_TYPES)
                        ? "\"*\" must be the only type" : "is not an event type: " + Happened.TYPES));
            }
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(ProblemType.VALIDATION_FAILED, "types must be [\"*\"] or a list of event types", errors);
        }
        return List.copyOf(new LinkedHashSet<>(given));
    }

    static List<String> statuses(String status) {
        if (status == null) {
            return List.of("pending", "failed");
        }
        if (!status.equals("pending") && !status.equals("failed")) {
            throw ApiProblem.invalidRequest("status must be failed or pending");
        }
        return List.of(status);
    }

    static long eventId(String text, String name) {
        return EventTable.parseId(text).orElseThrow(() -> ApiProblem.invalidRequest(name + " must be an event id: 1 to 20 digits"));
    }

    static int limit(String limit) {
        if (limit == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int size = Integer.parseInt(limit);
            if (size >= 1 && size <= MAX_LIMIT) {
                return size;
            }
        } catch (NumberFormatException notANumber) {
            // answered below
        }
        throw ApiProblem.invalidRequest("limit must be an integer from 1 to " + MAX_LIMIT);
    }
}
