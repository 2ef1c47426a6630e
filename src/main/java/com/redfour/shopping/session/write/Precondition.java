package com.redfour.shopping.session.write;

import java.util.Set;

/** What an {@code If-Match} header asks of the version a change applies to. */
public sealed interface Precondition {

    boolean allows(long version);

    /** No {@code If-Match}: any version will do, and a lost race is retried on the server. */
    Precondition NONE = new Any(false);

    /** {@code If-Match: *}: any version of an existing session. */
    Precondition ANY = new Any(true);

    static Precondition oneOf(Set<Long> versions) {
        return new OneOf(Set.copyOf(versions));
    }

    default boolean isGiven() {
        return this != NONE;
    }

    /** Any version. */
    record Any(boolean given) implements Precondition {
        @Override
        public boolean allows(long version) {
            return true;
        }
    }

    /** One of the listed versions. */
    record OneOf(Set<Long> versions) implements Precondition {
        @Override
        public boolean allows(long version) {
            return versions.contains(version);
        }
    }
}
