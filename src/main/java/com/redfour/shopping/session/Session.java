package com.redfour.shopping.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One customer's shopping visit to one store. Immutable: every change returns a new session whose
 * version is one higher and whose log says what happened.
 */
public record Session(
        SessionId id,
        long version,
        Status status,
        String currency,
        String landing,
        String referrer,
        String ip,
        String memberId,
        List<LineItem> items,
        List<Discount> discounts,
        List<LogEntry> logs,
        Instant createdAt,
        Instant updatedAt) {

    public static final int MAX_LOG_ENTRIES = 200;
    public static final int MAX_LINES = 100;
    public static final int MAX_DISCOUNTS = 10;
    public static final int MAX_QUANTITY = 999;

    public Session {
        items = List.copyOf(items);
        discounts = List.copyOf(discounts);
        logs = List.copyOf(logs);
    }

    /** A new session at version 1, whose log starts with "Session created". */
    public static Session create(SessionId id, Visit visit, Instant now) {
        return new Session(id, 1, Status.OPEN, visit.currency(), visit.landing(), visit.referrer(), visit.ip(),
                visit.memberId(), List.of(), List.of(), List.of(new LogEntry(now, "Session created")), now, now);
    }

    public Totals totals() {
        return Totals.of(items, discounts);
    }

    public boolean isOpen() {
        return status == Status.OPEN;
    }

    public Optional<LineItem> line(String sku) {
        return items.stream().filter(line -> line.sku().equals(sku)).findFirst();
    }

    public Optional<Discount> discount(String code) {
        return discounts.stream().filter(d -> d.code().equals(code)).findFirst();
    }

    /** This session with {@code entry} appended to its log, which keeps only the newest entries. */
    public Session logged(Instant at, String entry) {
        List<LogEntry> newLogs = new ArrayList<>(Math.min(logs.size() + 1, MAX_LOG_ENTRIES));
        newLogs.addAll(logs.subList(Math.max(0, logs.size() + 1 - MAX_LOG_ENTRIES), logs.size()));
        newLogs.add(new LogEntry(at, entry));
        return new Session(id, version, status, currency, landing, referrer, ip, memberId, items, discounts,
                newLogs, createdAt, updatedAt);
    }

    /** This session as written by one more change: one version on, updated at {@code now}. */
    public Session advanced(Instant now) {
        return new Session(id, version + 1, status, currency, landing, referrer, ip, memberId, items, discounts,
                logs, createdAt, now);
    }

    public Session withItems(List<LineItem> newItems) {
        return new Session(id, version, status, currency, landing, referrer, ip, memberId, newItems, discounts, logs,
                createdAt, updatedAt);
    }

    public Session withDiscounts(List<Discount> newDiscounts) {
        return new Session(id, version, status, currency, landing, referrer, ip, memberId, items, newDiscounts, logs,
                createdAt, updatedAt);
    }

    public Session withMember(String newMemberId) {
        return new Session(id, version, status, currency, landing, referrer, ip, newMemberId, items, discounts, logs,
                createdAt, updatedAt);
    }

    public Session withStatus(Status newStatus) {
        return new Session(id, version, newStatus, currency, landing, referrer, ip, memberId, items, discounts, logs,
                createdAt, updatedAt);
    }
}
