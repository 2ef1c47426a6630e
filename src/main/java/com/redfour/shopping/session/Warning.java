package com.redfour.shopping.session;

import java.math.BigDecimal;

/**
 * Something the customer should know about a change that was nevertheless made. Warnings belong to
 * the answer to the change that caused them and are never stored.
 */
public sealed interface Warning {

    /** A line took a new price: the cart now charges {@code to} where it charged {@code from}. */
    record PriceChanged(String lineId, String sku, BigDecimal from, BigDecimal to) implements Warning {
    }
}
