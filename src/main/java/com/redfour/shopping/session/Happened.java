package com.redfour.shopping.session;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a change did, as the rest of the shop is told it: an event type and the change's data
 * (field names and values as the event's {@code data} carries them, in order; values are strings,
 * numbers, booleans or null).
 */
public record Happened(String type, Map<String, Object> data) {

    /** Every event type there is, in the contract's order (v1.2 adds {@code session.recovered}). */
    public static final List<String> TYPES = List.of(
            "session.created", "item.selected", "item.quantity-changed", "item.removed", "items.cleared",
            "discount.applied", "discount.removed", "member.signed-in", "member.signed-out", "note.changed",
            "attributes.changed", "session.touched", "activity.recorded", "session.closed", "session.merged",
            "session.deleted", "session.abandoned", "session.expired", "session.recovered");

    public Happened {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("no such event type: " + type);
        }
        data = Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    /** {@code type} with data given as name, value, name, value, ... */
    public static Happened of(String type, Object... namesAndValues) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Happened(type, data);
    }
}
