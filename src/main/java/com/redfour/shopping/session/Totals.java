package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.util.List;

/** What the cart adds up to; always derived from the lines and discounts, never stored. */
public record Totals(int itemCount, BigDecimal subtotal, BigDecimal discountTotal, BigDecimal total) {

    public static Totals of(List<LineItem> items, List<Discount> discounts) {
        int count = items.stream().mapToInt(LineItem::quantity).sum();
        BigDecimal subtotal = items.stream().map(LineItem::lineTotal).reduce(Money.ZERO, BigDecimal::add);
        BigDecimal offered = discounts.stream().map(d -> d.amountOn(subtotal)).reduce(Money.ZERO, BigDecimal::add);
        BigDecimal discountTotal = offered.min(subtotal);
        return new Totals(count, subtotal, discountTotal, subtotal.subtract(discountTotal));
    }
}
