package com.redfour.shopping.session;

/**
 * Which visits brought the customer: the first (at creation), the last, and how many there were.
 * Marketers credit a sale to the first or the last touch; most buyers convert across several.
 */
public record Attribution(Touch first, Touch last, long touches) {

    /** The attribution of a session created by {@code first}: it is also the last, and the only one. */
    public static Attribution startingWith(Touch first) {
        return new Attribution(first, first, 1);
    }

    /** This attribution after another visit. */
    public Attribution returning(Touch touch) {
        return new Attribution(first, touch, touches + 1);
    }
}
