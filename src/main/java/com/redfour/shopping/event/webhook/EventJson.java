package com.redfour.shopping.event.webhook;

/** Stand-in for the events core's EventTable until it is merged: visibility rule and rendering. */
final class EventJson {

    static final String VISIBLE = "id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint * 1000";

    private EventJson() {
    }

    static String render(long id, String payload) {
        return "{\"id\":\"" + formatId(id) + "\"," + payload.substring(payload.indexOf('{') + 1);
    }

    static String formatId(long id) {
        String digits = Long.toString(id);
        return "0".repeat(Math.max(0, 20 - digits.length())) + digits;
    }
}
