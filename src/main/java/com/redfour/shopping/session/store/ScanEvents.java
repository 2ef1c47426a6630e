package com.redfour.shopping.session.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Totals;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The events the cart scan reports ({@code session.abandoned}, {@code session.expired}), written into
 * the outbox from the scan's transaction with ids as every event gets them: the writing transaction's
 * id times 1000 plus the event's place in it (V3 migration).
 */
final class ScanEvents {

    /** One event to record: its type, the session as it is, and the type's data. */
    record Event(String type, Session session, Instant at, Map<String, Object> data) {
    }

    /** The event as delivered, without its id (the {@code payload} column). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Payload(String type, String store, String sessionKey, long version, String at, Map<String, Object> data,
            Summary session) {
    }

    /** The session as of the event's version. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Summary(String status, String memberId, String currency, int itemCount, BigDecimal subtotal,
            BigDecimal discountTotal, BigDecimal total) {
    }

    private static final ObjectWriter WRITER = new ObjectMapper().writerFor(Payload.class);

    private static final String INSERT = """
            INSERT INTO session_event (store, id, session_key, version, type, at, payload)
            SELECT e.store, pg_current_xact_id()::text::bigint * 1000 + e.ord, e.key, e.version, e.type, e.at,
                   e.payload::jsonb
              FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
                   WITH ORDINALITY AS e(store, key, version, type, at, payload, ord)
            """;

    private ScanEvents() {
    }

    /** Records the events in the transaction of {@code tx}, in the order given (at most 999). */
    static Uni<Integer> insert(SqlConnection tx, List<Event> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        if (events.size() > 999) {
            throw new IllegalArgumentException("a transaction records at most 999 events");
        }
        int n = events.size();
        String[] stores = new String[n];
        String[] keys = new String[n];
        Long[] versions = new Long[n];
        String[] types = new String[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            Event e = events.get(i);
            Session s = e.session();
            stores[i] = s.id().store();
            keys[i] = s.id().key();
            versions[i] = s.version();
            types[i] = e.type();
            ats[i] = SessionTable.utc(e.at());
            payloads[i] = payload(e);
        }
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(stores, keys, versions, types, ats).addValue(payloads))
                .map(rows -> rows.rowCount());
    }

    static String payload(Event e) {
        Session s = e.session();
        Totals totals = s.totals();
        Summary summary = new Summary(s.status().wireName(), s.memberId(), s.arrival().currency(), totals.itemCount(),
                money(totals.subtotal()), money(totals.discountTotal()), money(totals.total()));
        try {
            return WRITER.writeValueAsString(new Payload(e.type(), s.id().store(), s.id().key(), s.version(),
                    timestamp(e.at()), e.data(), summary));
        } catch (JsonProcessingException failure) {
            throw new IllegalStateException("event could not be written as JSON", failure);
        }
    }

    /** Money with two decimals, as everywhere in the contract. */
    static BigDecimal money(BigDecimal amount) {
        return amount.setScale(2, java.math.RoundingMode.HALF_EVEN);
    }

    /** UTC ISO-8601 with exactly three fraction digits, as every timestamp of the contract. */
    static String timestamp(Instant instant) {
        Instant millis = instant.truncatedTo(ChronoUnit.MILLIS);
        String text = millis.toString();
        return millis.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }
}
