package com.redfour.shopping.session.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Session;
import com.fasterxml.jackson.annotation.JsonInclude;

import com.redfour.shopping.session.Attribution;
import com.redfour.shopping.session.Cart;
import com.redfour.shopping.session.RecoveredFrom;
import com.redfour.shopping.session.Touch;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON of a session row's {@code document} and {@code applied_keys} columns. The document holds
 * what has no column of its own; it is read leniently (unknown fields ignored) so that a newer
 * replica's rows stay readable by an older one during a rolling deploy.
 */
final class DocumentCodec {

    /**
     * The {@code document} column. Documents written before v1.1 lack {@code lastLineNumber},
     * {@code note}, {@code attributes} and {@code attribution}, and their items lack ids and
     * attributes: {@link #upgraded} fills them in when the row is read, and the next change writes
     * them (no migration rewrites the table). {@code recoveredFrom} (v1.2) is written only once a
     * recovery link gave the session its cart. Documents written before V6 hold the session's log
     * ({@code logs}); this version writes the log to {@code session_log} and leaves it out.
     */
    record Document(String currency, String landing, String referrer, String ip, List<LineItem> items,
            List<StoredDiscount> discounts, @JsonInclude(JsonInclude.Include.NON_NULL) List<LogEntry> logs,
            Long lastLineNumber, String note,
            Map<String, String> attributes, Attribution attribution,
            @JsonInclude(JsonInclude.Include.NON_NULL) RecoveredFrom recoveredFrom) {

        /** A document as this version writes it (as a v1.0 document reads: see {@link #upgraded}). */
        Document upgraded(Instant createdAt) {
            List<LineItem> stored = items == null ? List.of() : items;
            long last = lastLineNumber == null ? 0 : lastLineNumber;
            for (LineItem line : stored) {
                last = Math.max(last, numberOf(line.lineId()));
            }
            List<LineItem> identified = new ArrayList<>(stored.size());
            for (LineItem line : stored) {
                identified.add(line.lineId() != null ? line : new LineItem(Cart.lineId(++last), line.sku(), line.name(),
                        line.price(), line.quantity(), line.attributes()));
            }
            Attribution touches = attribution != null ? attribution
                    : Attribution.startingWith(Touch.of(createdAt, landing, referrer));
            return new Document(currency, landing, referrer, ip, identified, discounts == null ? List.of() : discounts,
                    logs == null ? List.of() : logs, last, note, attributes == null ? Map.of() : attributes, touches,
                    recoveredFrom);
        }

        private static long numberOf(String lineId) {
            // read on every load of every line: no regular expression (String.matches compiles one per call)
            if (lineId == null || lineId.length() < 2 || lineId.length() > 19 || lineId.charAt(0) != 'l') {
                return 0;
            }
            for (int i = 1; i < lineId.length(); i++) {
                if (lineId.charAt(i) < '0' || lineId.charAt(i) > '9') {
                    return 0;
                }
            }
            return Long.parseLong(lineId.substring(1));
        }
    }

    /** An applied idempotency key as stored, its outcome by its wire name ({@code created}, …). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record StoredKey(String key, String fingerprint, String outcome, Instant at) {
        static StoredKey of(AppliedKey key) {
            return new StoredKey(key.key(), key.fingerprint(), key.outcome().wireName(), key.at());
        }

        AppliedKey toAppliedKey() {
            return new AppliedKey(key, fingerprint, AppliedKey.Kind.fromWireName(outcome), at);
        }
    }

    /** A discount as stored: exactly one of the two amounts is set. */
    record StoredDiscount(String code, BigDecimal percentOff, BigDecimal amountOff) {
        static StoredDiscount of(Discount discount) {
            return new StoredDiscount(discount.code(), discount.percentOff(), discount.amountOff());
        }

        Discount toDiscount() {
            return percentOff != null ? new Discount.PercentOff(code, percentOff) : new Discount.AmountOff(code, amountOff);
        }
    }

    // Instants (every log entry has one, up to 200 a row, read and written on every change) are
    // stored as epoch milliseconds: a number costs Jackson next to nothing, where formatting and
    // parsing ISO text was the largest single cost of a change in the profile (docs/performance.md).
    // ISO text written by earlier versions is still read.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.READ_DATE_TIMESTAMPS_AS_NANOSECONDS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
    private static final ObjectReader DOCUMENT_READER = MAPPER.readerFor(Document.class);
    private static final ObjectWriter DOCUMENT_WRITER = MAPPER.writerFor(Document.class);
    private static final ObjectReader KEYS_READER = MAPPER.readerFor(new TypeReference<List<StoredKey>>() {
    });
    private static final ObjectWriter KEYS_WRITER = MAPPER.writerFor(new TypeReference<List<StoredKey>>() {
    });

    private DocumentCodec() {
    }

    static String write(Session s) {
        Arrival arrival = s.arrival();
        return write(new Document(arrival.currency(), arrival.landing(), arrival.referrer(), arrival.ip(),
                s.cart().lines(), s.cart().discounts().stream().map(StoredDiscount::of).toList(), null,
                s.cart().lastLineNumber(), s.note(), s.attributes(), s.attribution(), s.recoveredFrom()));
    }

    static String write(Document document) {
        return writeWith(DOCUMENT_WRITER, document);
    }

    static Document readDocument(String json) {
        return readWith(DOCUMENT_READER, json);
    }

    static String writeKeys(List<AppliedKey> keys) {
        return writeWith(KEYS_WRITER, keys.stream().map(StoredKey::of).toList());
    }

    static List<AppliedKey> readKeys(String json) {
        List<StoredKey> keys = readWith(KEYS_READER, json);
        return keys.stream().map(StoredKey::toAppliedKey).toList();
    }

    private static String writeWith(ObjectWriter writer, Object value) {
        try {
            return writer.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session row could not be written as JSON", e);
        }
    }

    private static <T> T readWith(ObjectReader reader, String json) {
        try {
            return reader.readValue(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("session row holds JSON this version cannot read", e);
        }
    }
}
