package com.redfour.shopping.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One customer's shopping visit to one store: how they arrived, who they are, what they selected,
 * and a log of what happened. Immutable: every change returns a new session whose version is one
 * higher and whose log says what happened.
 */
public record Session(
        SessionId id,
        long version,
        Status status,
        Arrival arrival,
        String memberId,
        Cart cart,
        List<LogEntry> logs,
        Instant createdAt,
        Instant updatedAt) {

    public static final int MAX_LOG_ENTRIES = 200;

    public Session {
        logs = List.copyOf(logs);
    }

    /** A new session at version 1, whose log starts with "Session created". */
    public static Session create(SessionId id, Arrival arrival, String memberId, Instant now) {
        return new Session(id, 1, Status.OPEN, arrival, memberId, Cart.EMPTY,
                List.of(new LogEntry(now, "Session created")), now, now);
    }

    public Totals totals() {
        return cart.totals();
    }

    public boolean isOpen() {
        return status == Status.OPEN;
    }

    /** This session with {@code entry} appended to its log, which keeps only the newest entries. */
    public Session logged(Instant at, String entry) {
        List<LogEntry> newLogs = new ArrayList<>(Math.min(logs.size() + 1, MAX_LOG_ENTRIES));
        newLogs.addAll(logs.subList(Math.max(0, logs.size() + 1 - MAX_LOG_ENTRIES), logs.size()));
        newLogs.add(new LogEntry(at, entry));
        return new Session(id, version, status, arrival, memberId, cart, newLogs, createdAt, updatedAt);
    }

    /** This session as written by one more change: one version on, updated at {@code now}. */
    public Session advanced(Instant now) {
        return new Session(id, version + 1, status, arrival, memberId, cart, logs, createdAt, now);
    }

    public Session withCart(Cart newCart) {
        return new Session(id, version, status, arrival, memberId, newCart, logs, createdAt, updatedAt);
    }

    public Session withMember(String newMemberId) {
        return new Session(id, version, status, arrival, newMemberId, cart, logs, createdAt, updatedAt);
    }

    public Session withStatus(Status newStatus) {
        return new Session(id, version, newStatus, arrival, memberId, cart, logs, createdAt, updatedAt);
    }
}
