package com.redfour.shopping.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
        return copy(c -> c.log = newLog);
    }

    /** This session as written by one more change: one version on, updated at {@code now}. */
    public Session advanced(Instant now) {
        return copy(c -> {
            c.version = version + 1;
            c.updatedAt = now;
        });
    }

    public Session withCart(Cart newCart) {
        return copy(c -> c.cart = newCart);
    }

    public Session withMember(String newMemberId) {
        return copy(c -> c.memberId = newMemberId);
    }

    public Session withStatus(Status newStatus) {
        return copy(c -> c.status = newStatus);
    }

    public Session withNote(String newNote) {
        return copy(c -> c.note = newNote);
    }

    public Session withAttributes(Map<String, String> newAttributes) {
        return copy(c -> c.attributes = newAttributes);
    }

    public Session withAttribution(Attribution newAttribution) {
        return copy(c -> c.attribution = newAttribution);
    }

    public Session withRecoveredFrom(RecoveredFrom newRecoveredFrom) {
        return copy(c -> c.recoveredFrom = newRecoveredFrom);
    }

    /** This session with what {@code change} sets on a copy of its components; the rest as they are. */
    private Session copy(Consumer<Copy> change) {
        Copy c = new Copy();
        change.accept(c);
        return new Session(id, c.version, c.status, arrival, c.memberId, c.cart, c.note, c.attributes, c.attribution,
                c.recoveredFrom, c.log, createdAt, c.updatedAt);
    }

    /** The components a with-er may set (identity, arrival and creation never change), as they are before it does. */
    private final class Copy {
        long version = Session.this.version;
        Status status = Session.this.status;
        String memberId = Session.this.memberId;
        Cart cart = Session.this.cart;
        String note = Session.this.note;
        Map<String, String> attributes = Session.this.attributes;
        Attribution attribution = Session.this.attribution;
        RecoveredFrom recoveredFrom = Session.this.recoveredFrom;
        SessionLog log = Session.this.log;
        Instant updatedAt = Session.this.updatedAt;
    }
}
