package com.redfour.shopping.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Timestamps;
import com.redfour.shopping.session.Totals;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON of an event as stored in {@code session_event.payload}: the event as delivered, without
 * its id (which the table assigns): {@code type, store, sessionKey, version, at, data, session}.
 */
public final class EventCodec {

    private static final ObjectWriter WRITER = new ObjectMapper().writerFor(Map.class);

    private EventCodec() {
    }

    public static String payload(PendingEvent event) {
        Session s = event.state();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", event.happened().type());
        json.put("store", s.id().store());
        json.put("sessionKey", s.id().key());
        json.put("version", event.version());
        json.put("at", Timestamps.iso(event.at()));
        json.put("data", event.happened().data());
        json.put("session", summary(s));
        try {
            return WRITER.writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an event could not be written as JSON", e);
        }
    }

    /** The session as an event summarises it. */
    static Map<String, Object> summary(Session s) {
        Totals totals = s.totals();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("status", s.status().wireName());
        summary.put("memberId", s.memberId());
        summary.put("currency", s.arrival().currency());
        summary.put("itemCount", totals.itemCount());
        summary.put("subtotal", totals.subtotal());
        summary.put("discountTotal", totals.discountTotal());
        summary.put("total", totals.total());
        return summary;
    }
}
