package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The changes of a cart's lines and discounts, named {@code Change.SelectItem} and so on ({@link Change}). */
interface CartChanges {

    /**
     * Put a product in the cart: the line with this sku and these attributes gains the quantity and
     * takes the new name and price (logged when the price changed); without one, a new line is added,
     * if the session holds fewer than {@code maxLines} lines.
     */
    record SelectItem(String sku, String name, BigDecimal price, int quantity, Map<String, String> attributes,
            int maxLines) implements Change {

        public SelectItem {
            attributes = Attributes.copyOf(attributes);
        }

        /** A v1 selection: no attributes, the default line limit. */
        public SelectItem(String sku, String name, BigDecimal price, int quantity) {
            this(sku, name, price, quantity, Map.of(), Cart.DEFAULT_MAX_LINES);
        }

        @Override
        public Session apply(Session session, Instant now) {
            if (price.signum() < 0) {
                throw ChangeRejected.invalidAndLogged("price", "must not be negative",
                        "Rejected " + sku + ": negative price");
            }
            Session selected = session.withCart(session.cart().selecting(sku, name, price, quantity, attributes, maxLines))
                    .logged(now, "Selected " + sku + " x" + quantity);
            for (Warning warning : warnings(session)) {
                Warning.PriceChanged changed = (Warning.PriceChanged) warning;
                selected = selected.logged(now, "Price of " + sku + " changed from " + changed.from().toPlainString()
                        + " to " + changed.to().toPlainString());
            }
            return selected;
        }

        @Override
        public List<Warning> warnings(Session before) {
            return before.cart().line(sku, attributes)
                    .filter(line -> price.signum() >= 0 && line.price().compareTo(price) != 0)
                    .<List<Warning>>map(line -> List.of(new Warning.PriceChanged(line.lineId(), sku, line.price(),
                            Money.exact(price))))
                    .orElse(List.of());
        }

        @Override
        public Happened happened(Session before, Session after) {
            LineItem line = after.cart().line(sku, attributes).orElseThrow();
            return Happened.of("item.selected", "lineId", line.lineId(), "sku", sku, "name", name,
                    "price", Money.exact(price), "quantity", quantity, "lineQuantity", line.quantity(),
                    "attributes", attributes);
        }
    }

    /** Set the quantity of the one line with this sku (v1); zero removes the line. */
    record ChangeQuantity(String sku, int quantity) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String lineId = session.cart().onlyLineWithSku(sku).lineId();
            Cart cart = session.cart().withQuantity(lineId, quantity);
            return session.withCart(cart)
                    .logged(now, quantity == 0 ? "Removed " + sku : "Changed " + sku + " quantity to " + quantity);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return lineChanged(before.cart().onlyLineWithSku(sku), quantity);
        }
    }

    /** Take the one line with this sku out of the cart (v1). */
    record RemoveItem(String sku) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String lineId = session.cart().onlyLineWithSku(sku).lineId();
            return session.withCart(session.cart().without(lineId)).logged(now, "Removed " + sku);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return lineChanged(before.cart().onlyLineWithSku(sku), 0);
        }
    }

    /** Set the quantity of the line {@code lineId}; zero removes the line. */
    record ChangeLineQuantity(String lineId, int quantity) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String sku = line(session, lineId).sku();
            Cart cart = session.cart().withQuantity(lineId, quantity);
            return session.withCart(cart).logged(now, quantity == 0
                    ? "Removed " + sku + " (line " + lineId + ")"
                    : "Changed " + sku + " (line " + lineId + ") quantity to " + quantity);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return lineChanged(line(before, lineId), quantity);
        }
    }

    /** Take the line {@code lineId} out of the cart. */
    record RemoveLine(String lineId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String sku = line(session, lineId).sku();
            return session.withCart(session.cart().without(lineId)).logged(now, "Removed " + sku + " (line " + lineId + ")");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return lineChanged(line(before, lineId), 0);
        }
    }

    /** Empty the cart. */
    record ClearItems() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withCart(session.cart().withoutLines()).logged(now, "Removed all items");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("items.cleared", "lines", before.cart().lines().size());
        }
    }

    /** Apply a discount code; one that is already applied changes nothing. */
    record ApplyDiscount(Discount discount) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            Cart cart = session.cart().applying(discount);
            return cart == session.cart()
                    ? session
                    : session.withCart(cart).logged(now, "Applied discount " + discount.code());
        }

        @Override
        public Happened happened(Session before, Session after) {
            return discount.percentOff() != null
                    ? Happened.of("discount.applied", "code", discount.code(), "percentOff", discount.percentOff())
                    : Happened.of("discount.applied", "code", discount.code(), "amountOff", discount.amountOff());
        }
    }

    /** Take a discount code off. */
    record RemoveDiscount(String code) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withCart(session.cart().withoutDiscount(code)).logged(now, "Removed discount " + code);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("discount.removed", "code", code);
        }
    }

    /** A line's quantity changed ({@code item.quantity-changed}) or, at zero, the line went ({@code item.removed}). */
    private static Happened lineChanged(LineItem line, int quantity) {
        return quantity == 0
                ? Happened.of("item.removed", "lineId", line.lineId(), "sku", line.sku())
                : Happened.of("item.quantity-changed", "lineId", line.lineId(), "sku", line.sku(), "quantity", quantity);
    }

    private static LineItem line(Session session, String lineId) {
        return session.cart().lineById(lineId).orElseThrow(() -> ChangeRejected.notFound("no line " + lineId));
    }
}
