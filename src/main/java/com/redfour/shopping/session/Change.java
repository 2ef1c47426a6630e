package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
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

    /** What this change did to {@code before}, which became {@code after}: the event it is told as. */
    Happened happened(Session before, Session after);

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

    /** Set the customer's note; the same note again changes nothing. */
    record SetNote(String note) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return note.equals(session.note()) ? session : session.withNote(note).logged(now, "Note set");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("note.changed", "note", note);
        }
    }

    /** Clear the customer's note; without one, nothing changes. */
    record ClearNote() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.note() == null ? session : session.withNote(null).logged(now, "Note cleared");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("note.changed", "note", null);
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

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("attributes.changed", "set", set,
                    "removed", removed.stream().filter(before.attributes()::containsKey).toList(),
                    "attributes", after.attributes());
        }
    }

    /** The customer came back: a new last touch (landing, referrer, campaign tags). */
    record RecordTouch(String landing, String referrer) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withAttribution(session.attribution().returning(Touch.of(now, landing, referrer)))
                    .logged(now, "Returned via " + landing);
        }

        @Override
        public Happened happened(Session before, Session after) {
            Touch touch = after.attribution().last();
            Map<String, Object> utm = new LinkedHashMap<>();
            utm.put("source", touch.utm().source());
            utm.put("medium", touch.utm().medium());
            utm.put("campaign", touch.utm().campaign());
            utm.put("term", touch.utm().term());
            utm.put("content", touch.utm().content());
            return Happened.of("session.touched", "landing", touch.landing(), "referrer", touch.referrer(),
                    "utm", utm, "clickId", touch.clickId(), "touches", after.attribution().touches());
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
