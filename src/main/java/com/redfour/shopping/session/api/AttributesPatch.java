package com.redfour.shopping.session.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.session.Attributes;
import com.redfour.shopping.session.Change;

import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A JSON Merge Patch (RFC 7396) of the session's attributes, read and checked: what it sets, what it
 * removes, and the patch as given (for the idempotency fingerprint).
 */
record AttributesPatch(Map<String, String> set, Set<String> removed, Map<String, String> given) {

    /** The patch in {@code body}; a body that is no object of strings and nulls is a 400, a broken rule a 422. */
    static AttributesPatch read(byte[] body, ObjectMapper json) throws IOException {
        JsonNode patch = body == null || body.length == 0 ? null : json.readTree(body);
        if (patch == null || patch.isMissingNode()) {
            throw ApiProblem.invalidRequest("this request needs a JSON body");
        }
        if (!patch.isObject()) {
            throw ApiProblem.invalidRequest("a merge patch of attributes must be a JSON object");
        }
        Map<String, String> given = new TreeMap<>();
        Map<String, String> set = new TreeMap<>();
        Set<String> removed = new TreeSet<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = patch.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                removed.add(field.getKey());
            } else if (value.isTextual() && value.textValue().indexOf('\0') < 0) {
                set.put(field.getKey(), value.textValue());
            } else {
                throw ApiProblem.invalidRequest("field " + field.getKey() + " must be a string (without U+0000) or null");
            }
            given.put(field.getKey(), value.isNull() ? null : value.textValue());
        }
        for (String key : removed) {
            Attributes.problemWith(key, "").ifPresent(problem -> {
                throw ApiProblem.invalidField("attributes", problem);
            });
        }
        check(set, Attributes.MAX_PER_SESSION);
        return new AttributesPatch(set, removed, given);
    }

    /** The change the patch asks for. */
    Change change() {
        return new Change.ChangeAttributes(set, removed);
    }

    /** Attributes that break a rule are a 422 naming the field {@code attributes}. */
    static void check(Map<String, String> attributes, int maxKeys) {
        Attributes.problemWith(attributes, maxKeys).ifPresent(problem -> {
            throw ApiProblem.invalidField("attributes", problem);
        });
    }
}
