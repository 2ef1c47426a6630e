package com.redfour.shopping.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Sign-in with cart merge: the member's other open session is folded into the one they signed in
 * on. Lines are added (quantities summed, capped per line; lines past the limit dropped and
 * logged), discounts are added (past the limit likewise), and the other session becomes merged.
 */
public final class CartMerge {

    private CartMerge() {
    }

    /** Both sessions after the merge, each one version on. */
    public record Merged(Session target, Session source) {
    }

    /**
     * Signs {@code target} in as {@code memberId} and merges {@code source} into it.
     *
     * @throws ChangeRejected when the target is not open
     */
    public static Merged apply(Session target, Session source, String memberId, Instant now) {
        Session signedIn = new Change.SignIn(memberId).applyTo(target, now);
        String from = source.id().key();

        List<LineItem> items = new ArrayList<>(signedIn.items());
        List<String> droppedLines = new ArrayList<>();
        for (LineItem line : source.items()) {
            int at = LineItem.indexOf(items, line.sku());
            if (at >= 0) {
                LineItem mine = items.get(at);
                items.set(at, mine.withQuantity(Math.min(Session.MAX_QUANTITY, mine.quantity() + line.quantity())));
            } else if (items.size() < Session.MAX_LINES) {
                items.add(line);
            } else {
                droppedLines.add(line.sku());
            }
        }

        List<Discount> discounts = new ArrayList<>(signedIn.discounts());
        List<String> droppedDiscounts = new ArrayList<>();
        for (Discount discount : source.discounts()) {
            if (signedIn.discount(discount.code()).isPresent()) {
                continue;
            }
            if (discounts.size() < Session.MAX_DISCOUNTS) {
                discounts.add(discount);
            } else {
                droppedDiscounts.add(discount.code());
            }
        }

        Session merged = signedIn.withItems(items).withDiscounts(discounts).logged(now,
                "Merged session " + from + ": " + source.items().size() + " lines, " + source.discounts().size()
                        + " discounts");
        if (!droppedLines.isEmpty()) {
            merged = merged.logged(now, "Dropped " + droppedLines.size() + " lines of session " + from
                    + " past the limit of " + Session.MAX_LINES + ": " + String.join(", ", droppedLines));
        }
        if (!droppedDiscounts.isEmpty()) {
            merged = merged.logged(now, "Dropped " + droppedDiscounts.size() + " discounts of session " + from
                    + " past the limit of " + Session.MAX_DISCOUNTS + ": " + String.join(", ", droppedDiscounts));
        }
        Session folded = source.withStatus(Status.MERGED)
                .logged(now, "Merged into session " + target.id().key())
                .advanced(now);
        return new Merged(merged, folded);
    }
}
