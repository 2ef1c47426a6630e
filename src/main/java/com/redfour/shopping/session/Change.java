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
    }

    /** Set a line's quantity; zero removes the line. */
    record ChangeQuantity(String sku, int quantity) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            Cart cart = session.cart().withQuantity(sku, quantity);
            return session.withCart(cart)
                    .logged(now, quantity == 0 ? "Removed " + sku : "Changed " + sku + " quantity to " + quantity);
        }
    }

    /** Take a line out of the cart. */
    record RemoveItem(String sku) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withCart(session.cart().without(sku)).logged(now, "Removed " + sku);
        }
    }

    /** Empty the cart. */
    record ClearItems() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withCart(session.cart().withoutLines()).logged(now, "Removed all items");
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
    }

    /** Take a discount code off. */
    record RemoveDiscount(String code) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withCart(session.cart().withoutDiscount(code)).logged(now, "Removed discount " + code);
        }
    }

    /** The customer signed in as a member (without merging any other cart). */
    record SignIn(String memberId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withMember(memberId).logged(now, "Signed in as member " + memberId);
        }
    }

    /** The customer signed out: the session no longer belongs to a member. */
    record SignOut() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withMember(null).logged(now, "Signed out");
        }
    }

    /** Something the storefront saw the customer do. */
    record RecordActivity(String entry) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.logged(now, entry);
        }
    }

    /** Checkout finished: the session is closed, optionally naming the order it became. */
    record Close(String orderId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String entry = orderId == null ? "Closed" : "Closed as order " + orderId;
            return session.withStatus(Status.CLOSED).logged(now, entry);
        }
    }
}
