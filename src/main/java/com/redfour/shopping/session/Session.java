package com.redfour.shopping.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One customer's shopping visit to one store: how they arrived (and came back), who they are, what
 * they selected, their note and attributes, and a log of what happened. Immutable: every change
 * returns a new session whose version is one higher and whose log says what happened.
 *
 * @param note the customer's note (a gift message, a delivery instruction), or {@code null}
 * @param attributes the storefront's attributes of the session, sorted by key
 * @param recoveredFrom where its cart came from, when a recovery link gave it back ({@code null} before)
 */
public record Session(
        SessionId id,
        long version,
        Status status,
        Arrival arrival,
        String memberId,
        Cart cart,
        String note,
        Map<String, String> attributes,
        Attribution attribution,
        RecoveredFrom recoveredFrom,
        SessionLog log,
        Instant createdAt,
        Instant updatedAt) {

    public static final int MAX_LOG_ENTRIES = SessionLog.MAX_ENTRIES;

    public Session {
        attributes = Attributes.copyOf(attributes);
    }

    /** A new session at version 1, whose log starts with "Session created" and whose first touch is its arrival. */
    public static Session create(SessionId id, Arrival arrival, String memberId, Instant now) {
        return new Session(id, 1, Status.OPEN, arrival, memberId, Cart.EMPTY, null, Map.of(),
                Attribution.startingWith(Touch.of(now, arrival.landing(), arrival.referrer())), null,
                SessionLog.of(List.of(new LogEntry(now, "Session created"))), now, now);
    }

    public Totals totals() {
        return cart.totals();
    }

    public boolean isOpen() {
        return status == Status.OPEN;
    }

    /** Whether nothing was put in the session: no lines, no member, no note, no attributes (it lives shorter). */
    public boolean isEmpty() {
        return cart.lines().isEmpty() && memberId == null && note == null && attributes.isEmpty();
    }

    /** The log's entries in view, oldest first ({@link SessionLog#entries}). */
    public List<LogEntry> logs() {
        return log.entries();
    }

    /** This session with {@code entry} appended to its log, which keeps only the newest entries. */
    public Session logged(Instant at, String entry) {
        return withLog(log.append(new LogEntry(at, entry)));
    }

    public Session withLog(SessionLog newLog) {
        return new Session(id, version, status, arrival, memberId, cart, note, attributes, attribution, recoveredFrom, newLog,
                createdAt, updatedAt);
    }

    /** This session as written by one more change: one version on, updated at {@code now}. */
    public Session advanced(Instant now) {
        return new Session(id, version + 1, status, arrival, memberId, cart, note, attributes, attribution, recoveredFrom, log,
                createdAt, now);
    }

    public Session withCart(Cart newCart) {
        return new Session(id, version, status, arrival, memberId, newCart, note, attributes, attribution, recoveredFrom, log,
                createdAt, updatedAt);
    }

    public Session withMember(String newMemberId) {
        return new Session(id, version, status, arrival, newMemberId, cart, note, attributes, attribution, recoveredFrom, log,
                createdAt, updatedAt);
    }

    public Session withStatus(Status newStatus) {
        return new Session(id, version, newStatus, arrival, memberId, cart, note, attributes, attribution, recoveredFrom, log,
                createdAt, updatedAt);
    }

    public Session withNote(String newNote) {
        return new Session(id, version, status, arrival, memberId, cart, newNote, attributes, attribution, recoveredFrom, log,
                createdAt, updatedAt);
    }

    public Session withAttributes(Map<String, String> newAttributes) {
        return new Session(id, version, status, arrival, memberId, cart, note, newAttributes, attribution, recoveredFrom, log,
                createdAt, updatedAt);
    }

    public Session withAttribution(Attribution newAttribution) {
        return new Session(id, version, status, arrival, memberId, cart, note, attributes, newAttribution, recoveredFrom, log,
                createdAt, updatedAt);
    }

    public Session withRecoveredFrom(RecoveredFrom newRecoveredFrom) {
        return new Session(id, version, status, arrival, memberId, cart, note, attributes, attribution, newRecoveredFrom,
                log, createdAt, updatedAt);
    }
}
