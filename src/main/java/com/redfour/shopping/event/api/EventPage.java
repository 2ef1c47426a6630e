package com.redfour.shopping.event.api;

import com.redfour.shopping.event.store.EventTable;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code GET /events}. The events are stored as JSON and written out as they are; these
 * records describe them for the OpenAPI document.
 */
@Schema(name = "EventPage")
record EventPage(List<EventDoc> events,
        @Schema(description = "The id to pass as `after` for the next page (the last event's, or the one asked after when there were none)",
                pattern = "^[0-9]{20}$") String next) {

    @Schema(name = "Event", description = "Something that happened to a session")
    record EventDoc(
            @Schema(description = "Unique; increasing in the order consumers see the store's events", pattern = "^[0-9]{20}$") String id,
            @Schema(description = "The event type", example = "item.selected") String type,
            String store,
            String sessionKey,
            @Schema(description = "The session's version after the change") long version,
            @Schema(description = "When it happened (UTC, ISO-8601)") String at,
            @Schema(description = "What the change was: its fields, per type") Map<String, Object> data,
            @Schema(description = "The session as of that version") Summary session) {
    }

    @Schema(name = "EventSessionSummary")
    record Summary(String status, String memberId, String currency, int itemCount, BigDecimal subtotal,
            BigDecimal discountTotal, BigDecimal total) {
    }

    static String json(EventTable.Page page) {
        StringBuilder body = new StringBuilder(64 + page.events().size() * 512).append("{\"events\":[");
        for (int i = 0; i < page.events().size(); i++) {
            body.append(i == 0 ? "" : ",").append(page.events().get(i).json());
        }
        return body.append("],\"next\":\"").append(EventTable.formatId(page.next())).append("\"}").toString();
    }
}
