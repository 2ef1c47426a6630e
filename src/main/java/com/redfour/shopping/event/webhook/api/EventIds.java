package com.redfour.shopping.event.webhook.api;

import java.util.OptionalLong;

/** Event ids as clients see them: 20 digits, zero-padded. Stand-in for the events core's until merged. */
final class EventIds {

    private EventIds() {
    }

    static String format(long id) {
        String digits = Long.toString(id);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }

    static OptionalLong parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 20 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException tooLarge) {
            return OptionalLong.empty();
        }
    }
}
