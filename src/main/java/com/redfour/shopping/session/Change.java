package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * Something the storefront asks of a session. Each change is a value with one pure function from
 * the session as it is to the session as it should be; the service loads, applies and saves.
 */
public sealed interface Change {

    /**
     * The change applied to {@code session} at {@code now}: a session one version on, or the very same
     * instance when there is nothing to change (nothing is then written).
     *
     * @throws ChangeRejected when the session's rules refuse it
     */
    default Session applyTo(Session session, Instant now) {
        if (!session.isOpen()) {
            throw ChangeRejected.closed(session.status());
        }
        Session next = apply(session, now);
        return next == session ? session : next.advanced(now);
    }

    /** The rules of this change, on an open session; versioning is {@link #applyTo}'s job. */
    Session apply(Session session, Instant now);

    /** What this change did to {@code before}, which became {@code after}: the event it is told as. */
    Happened happened(Session before, Session after);

    /** Put a product in the cart; a line for that sku gains the quantity and takes the new name and price. */
    record SelectItem(String sku, String name, BigDecimal price, int quantity) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            if (price.signum() < 0) {
                throw ChangeRejected.invalidAndLogged("price", "must not be negative",
                        "Rejected " + sku + ": negative price");
            }
            return session.withCart(session.cart().selecting(sku, name, price, quantity))
                    .logged(now, "Selected " + sku + " x" + quantity);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("item.selected", "sku", sku, "name", name, "price", Money.exact(price), "quantity", quantity,
                    "lineQuantity", after.cart().line(sku).map(LineItem::quantity).orElse(quantity));
        }
    }

    /** Set a line's quantity; zero removes the line. */
    record ChangeQuantity(String sku, int quantity) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            Cart cart = session.cart().withQuantity(sku, quantity);
            return session.withCart(cart)
                    .logged(now, quantity == 0 ? "Removed " + sku : "Changed " + sku + " quantity to " + quantity);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return quantity == 0
                    ? Happened.of("item.removed", "sku", sku)
                    : Happened.of("item.quantity-changed", "sku", sku, "quantity", quantity);
        }
    }

    /** Take a line out of the cart. */
    record RemoveItem(String sku) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withCart(session.cart().without(sku)).logged(now, "Removed " + sku);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("item.removed", "sku", sku);
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

    /** The customer signed in as a member (without merging any other cart). */
    record SignIn(String memberId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withMember(memberId).logged(now, "Signed in as member " + memberId);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("member.signed-in", "memberId", memberId, "mergedFrom", null);
        }
    }

    /** The customer signed out: the session no longer belongs to a member. */
    record SignOut() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withMember(null).logged(now, "Signed out");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("member.signed-out", "memberId", before.memberId());
        }
    }

    /** Something the storefront saw the customer do. */
    record RecordActivity(String entry) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.logged(now, entry);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("activity.recorded", "entry", entry);
        }
    }

    /** Checkout finished: the session is closed, optionally naming the order it became. */
    record Close(String orderId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String entry = orderId == null ? "Closed" : "Closed as order " + orderId;
            return session.withStatus(Status.CLOSED).logged(now, entry);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("session.closed", "orderId", orderId);
        }
    }
}
