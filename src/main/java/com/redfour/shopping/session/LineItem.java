package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.util.Map;

/**
 * One line of the cart: a product (sku) with its attributes (an engraving, gift wrap), at a price, in
 * some quantity. A line is identified within its cart by sku and attributes together; {@code lineId}
 * names it for the life of the line.
 */
public record LineItem(String lineId, String sku, String name, BigDecimal price, int quantity,
        Map<String, String> attributes) {

    public LineItem {
        price = Money.exact(price);
        attributes = Attributes.copyOf(attributes);
    }

    public BigDecimal lineTotal() {
        return price.multiply(BigDecimal.valueOf(quantity));
    }

    /** Whether this line is the one for {@code sku} with exactly {@code otherAttributes}. */
    public boolean isFor(String otherSku, Map<String, String> otherAttributes) {
        return sku.equals(otherSku) && attributes.equals(otherAttributes);
    }

    LineItem withQuantity(int newQuantity) {
        return new LineItem(lineId, sku, name, price, newQuantity, attributes);
    }

    LineItem withId(String newLineId) {
        return new LineItem(newLineId, sku, name, price, quantity, attributes);
    }
}
