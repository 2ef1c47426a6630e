package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

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

    /**
     * What the customer should be told about this change when it is applied to {@code before}; only
     * the answer to this very request carries them, and they are never stored.
     */
    default List<Warning> warnings(Session before) {
        return List.of();
    }

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
    }

    /** Take the one line with this sku out of the cart (v1). */
    record RemoveItem(String sku) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String lineId = session.cart().onlyLineWithSku(sku).lineId();
            return session.withCart(session.cart().without(lineId)).logged(now, "Removed " + sku);
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
    }

    /** Take the line {@code lineId} out of the cart. */
    record RemoveLine(String lineId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String sku = line(session, lineId).sku();
            return session.withCart(session.cart().without(lineId)).logged(now, "Removed " + sku + " (line " + lineId + ")");
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

    /** Set the customer's note; the same note again changes nothing. */
    record SetNote(String note) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return note.equals(session.note()) ? session : session.withNote(note).logged(now, "Note set");
        }
    }

    /** Clear the customer's note; without one, nothing changes. */
    record ClearNote() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.note() == null ? session : session.withNote(null).logged(now, "Note cleared");
        }
    }

    /**
     * Change the session's attributes as a JSON Merge Patch does: the keys of {@code set} take their
     * values, the keys in {@code removed} go. A patch that changes nothing changes nothing; one that
     * would leave more than {@link Attributes#MAX_PER_SESSION} keys is refused.
     */
    record ChangeAttributes(Map<String, String> set, Set<String> removed) implements Change {

        public ChangeAttributes {
            set = Attributes.copyOf(set);
            removed = Collections.unmodifiableSet(new TreeSet<>(removed));
        }

        @Override
        public Session apply(Session session, Instant now) {
            Map<String, String> next = new TreeMap<>(session.attributes());
            next.keySet().removeAll(removed);
            next.putAll(set);
            if (next.equals(session.attributes())) {
                return session;
            }
            if (next.size() > Attributes.MAX_PER_SESSION) {
                throw ChangeRejected.invalid("attributes", "would hold " + next.size() + " keys; a session holds at most "
                        + Attributes.MAX_PER_SESSION);
            }
            List<String> said = new ArrayList<>();
            if (!set.isEmpty()) {
                said.add("set " + String.join(", ", set.keySet()));
            }
            List<String> gone = removed.stream().filter(session.attributes()::containsKey).toList();
            if (!gone.isEmpty()) {
                said.add("removed " + String.join(", ", gone));
            }
            return session.withAttributes(next).logged(now, "Attributes changed: " + String.join("; ", said));
        }
    }

    /** The customer came back: a new last touch (landing, referrer, campaign tags). */
    record RecordTouch(String landing, String referrer) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withAttribution(session.attribution().returning(Touch.of(now, landing, referrer)))
                    .logged(now, "Returned via " + landing);
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

    private static LineItem line(Session session, String lineId) {
        return session.cart().lineById(lineId).orElseThrow(() -> ChangeRejected.notFound("no line " + lineId));
    }
}
