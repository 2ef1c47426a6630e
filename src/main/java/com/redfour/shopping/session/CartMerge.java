package com.redfour.shopping.session;

import java.time.Instant;

/**
 * Sign-in with cart merge: the member's other open session is folded into the one they signed in
 * on ({@link Cart#merging}), what did not fit is logged, and the other session becomes merged.
 */
public final class CartMerge {

    private CartMerge() {
    }

    /** Both sessions after the merge, each one version on. */
    public record Merged(Session target, Session source) {
    }

    /**
     * Signs {@code target} in as {@code memberId} and merges {@code source} into it: lines with the
     * same sku and attributes are one line, and the target holds at most {@code maxLines} lines.
     *
     * @throws ChangeRejected when the target is not open
     */
    public static Merged apply(Session target, Session source, String memberId, int maxLines, Instant now) {
        Session signedIn = new Change.SignIn(memberId).applyTo(target, now);
        String from = source.id().key();
        Cart.Merged cart = signedIn.cart().merging(source.cart(), maxLines);
        Session merged = signedIn.withCart(cart.cart()).logged(now, "Merged session " + from + ": "
                + source.cart().lines().size() + " lines, " + source.cart().discounts().size() + " discounts");
        if (!cart.droppedSkus().isEmpty()) {
            merged = merged.logged(now, "Dropped " + cart.droppedSkus().size() + " lines of session " + from
                    + " past the limit of " + maxLines + ": " + String.join(", ", cart.droppedSkus()));
        }
        if (!cart.droppedCodes().isEmpty()) {
            merged = merged.logged(now, "Dropped " + cart.droppedCodes().size() + " discounts of session " + from
                    + " past the limit of " + Cart.MAX_DISCOUNTS + ": " + String.join(", ", cart.droppedCodes()));
        }
        Session folded = source.withStatus(Status.MERGED)
                .logged(now, "Merged into session " + target.id().key())
                .advanced(now);
        return new Merged(merged, folded);
    }
}
