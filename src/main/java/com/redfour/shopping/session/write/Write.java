package com.redfour.shopping.session.write;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Cart;
import com.redfour.shopping.session.Change;

/**
 * Every kind of write to a session. Each runs through the same pipeline (load, screen, decide, one
 * versioned write, one retry policy); only {@link Decide deciding} and the SQL it leads to differ.
 */
public sealed interface Write {

    /** Find-or-create: a new session unless one exists, which is returned unchanged. */
    record Open(Arrival arrival, String memberId) implements Write {
    }

    /** One of the session's own changes (select an item, apply a discount, close, ...). */
    record Apply(Change change) implements Write {
    }

    /** Delete the session; a tombstone keeps the delete's idempotency key. */
    record Delete() implements Write {
    }

    /**
     * Sign in as {@code memberId} and fold the member's most recently updated other open session in
     * the store into this one (holding at most {@code maxLines} lines): two rows, written in one transaction.
     */
    record SignInAndMerge(String memberId, int maxLines) implements Write {
        /** With the default line limit. */
        public SignInAndMerge(String memberId) {
            this(memberId, Cart.DEFAULT_MAX_LINES);
        }
    }

    /**
     * Give the cart of the recovery link whose token has the hash {@code tokenHash} to this session
     * (created first from {@code arrival} when absent, in the recovered cart's currency), holding at
     * most {@code maxLines} lines; the recovered session becomes merged and the link is used up, all in
     * one transaction.
     */
    record Restore(String tokenHash, Arrival arrival, int maxLines) implements Write {
    }
}
