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

    LineItem withQuantity(int newQuantity) {
        return new LineItem(sku, name, price, newQuantity);
    }
}
