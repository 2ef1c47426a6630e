package com.redfour.shopping.session;

import java.time.Instant;
import java.util.List;

/**
 * Something the storefront asks of a session. Each change is a value with one pure function from
 * the session as it is to the session as it should be; the service loads, applies and saves.
 *
 * <p>One record per change, written in two files by what it changes: {@link CartChanges} (the cart's
 * lines and discounts) and {@link VisitChanges} (who the customer is, what they did and said, how they
 * came, the checkout). {@code Change} extends both only so that each record is named
 * {@code Change.SelectItem}, {@code Change.SetNote}, …: they add nothing to a change.
 */
public sealed interface Change extends CartChanges, VisitChanges permits
        CartChanges.SelectItem, CartChanges.ChangeQuantity, CartChanges.RemoveItem, CartChanges.ChangeLineQuantity,
        CartChanges.RemoveLine, CartChanges.ClearItems, CartChanges.ApplyDiscount, CartChanges.RemoveDiscount,
        VisitChanges.SignIn, VisitChanges.SignOut, VisitChanges.RecordActivity, VisitChanges.SetNote,
        VisitChanges.ClearNote, VisitChanges.ChangeAttributes, VisitChanges.RecordTouch, VisitChanges.Close {

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
}
