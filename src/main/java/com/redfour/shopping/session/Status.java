package com.redfour.shopping.session;

/** Where a session is in its life: only {@code OPEN} sessions accept changes. */
public enum Status {
    OPEN, CLOSED, MERGED;

    /** The lower-case name used on the wire and in the database. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Status fromWireName(String name) {
        return valueOf(name.toUpperCase(java.util.Locale.ROOT));
    }
}
