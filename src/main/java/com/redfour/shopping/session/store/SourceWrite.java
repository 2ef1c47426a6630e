package com.redfour.shopping.session.store;

import java.util.Optional;

/**
 * The other row a sign-in merge or a cart recovery writes, in the same transaction as the session
 * receiving the cart: as it was loaded, and as it is to be written; for a recovery, also the link it
 * uses up (in the same transaction, and only if no one used it meanwhile).
 */
public record SourceWrite(Row.Live before, Row.Live after, Optional<LinkUse> link) {

    /** A sign-in merge's: no link. */
    public SourceWrite(Row.Live before, Row.Live after) {
        this(before, after, Optional.empty());
    }

    /** A recovery link used at {@code at}. */
    public record LinkUse(String store, String linkId, java.time.Instant at) {
    }
}
