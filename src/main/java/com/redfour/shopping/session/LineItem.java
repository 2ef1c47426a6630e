package com.redfour.shopping.session;

import java.math.BigDecimal;

/** One line of the cart: a product (sku) at a price, in some quantity. */
public record LineItem(String sku, String name, BigDecimal price, int quantity) {

    public LineItem {
        price = Money.exact(price);
    }

    public BigDecimal lineTotal() {
        return price.multiply(BigDecimal.valueOf(quantity));
    }

    /** Where the line for {@code sku} is in {@code items}, or -1. */
    static int indexOf(java.util.List<LineItem> items, String sku) {
        for (int i = 0; i < items.size(); i++) {
            if (items.get(i).sku().equals(sku)) {
                return i;
            }
        }
        return -1;
    }

    LineItem withQuantity(int newQuantity) {
        return new LineItem(sku, name, price, newQuantity);
    }
}
