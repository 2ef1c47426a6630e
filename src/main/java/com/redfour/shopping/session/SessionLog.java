package com.redfour.shopping.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A session's log: its newest {@link #MAX_ENTRIES} entries, oldest first. A log read from the store
 * is carried as the store read it ({@link Stored}) and is only ever appended to, so that a change
 * neither reads nor rewrites the entries it did not add: the store writes {@link #added()} and
 * nothing else, and the oldest stored entries simply fall out of view ({@link #dropped()}).
 */
public final class SessionLog {

    /** Only the newest entries are kept, so that a session stays bounded (the contract says 200). */
    public static final int MAX_ENTRIES = 200;

    /** Entries as a store read them: how many, and (only when asked) the entries themselves, oldest first. */
    public interface Stored {
        int size();

        List<LogEntry> entries();
    }

    /** No stored entries. */
    public static final Stored NONE = new Stored() {
        @Override
        public int size() {
            return 0;
        }

        @Override
        public List<LogEntry> entries() {
            return List.of();
        }
    };

    public static final SessionLog EMPTY = new SessionLog(NONE, 0, List.of());

    private final Stored stored;
    private final int dropped;
    private final List<LogEntry> added;

    private SessionLog(Stored stored, int dropped, List<LogEntry> added) {
        this.stored = stored;
        this.dropped = dropped;
        this.added = added;
    }

    /** A log of stored entries (the oldest beyond {@link #MAX_ENTRIES} out of view), nothing added. */
    public static SessionLog of(Stored stored) {
        return new SessionLog(stored, Math.max(0, stored.size() - MAX_ENTRIES), List.of());
    }

    /** A log whose {@code entries} are all still to be stored: the newest {@link #MAX_ENTRIES} of them. */
    public static SessionLog of(List<LogEntry> entries) {
        return EMPTY.appendAll(entries);
    }

    /** This log with {@code entry} appended; past {@link #MAX_ENTRIES}, the oldest falls out of view. */
    public SessionLog append(LogEntry entry) {
        return appendAll(List.of(entry));
    }

    /** This log with {@code entries} appended in order (see {@link #append}). */
    public SessionLog appendAll(List<LogEntry> entries) {
        List<LogEntry> next = new ArrayList<>(added.size() + entries.size());
        next.addAll(added);
        next.addAll(entries);
        int drop = dropped;
        int over = stored.size() - drop + next.size() - MAX_ENTRIES;
        if (over > 0) {
            int fromStored = Math.min(over, stored.size() - drop);
            drop += fromStored;
            next.subList(0, over - fromStored).clear();
        }
        return new SessionLog(stored, drop, List.copyOf(next));
    }

    /** The entries as read, before anything was appended. */
    public Stored stored() {
        return stored;
    }

    /** How many of the oldest {@link #stored()} entries are out of view. */
    public int dropped() {
        return dropped;
    }

    /** The entries appended since the log was read, oldest first: what the store still has to write. */
    public List<LogEntry> added() {
        return added;
    }

    public int size() {
        return stored.size() - dropped + added.size();
    }

    /** Every entry in view, oldest first (reads the stored entries). */
    public List<LogEntry> entries() {
        List<LogEntry> all = new ArrayList<>(size());
        List<LogEntry> read = stored.entries();
        all.addAll(read.subList(dropped, read.size()));
        all.addAll(added);
        return List.copyOf(all);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SessionLog log && entries().equals(log.entries());
    }

    @Override
    public int hashCode() {
        return Objects.hash(entries());
    }

    @Override
    public String toString() {
        return "SessionLog" + entries();
    }
}
