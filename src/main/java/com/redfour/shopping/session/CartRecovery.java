package com.redfour.shopping.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A cart given back by a recovery link: the recovered session's lines, discounts, note and attributes
 * are folded into the session the shopper is on now ({@code into}), as a sign-in merge folds a
 * member's cart, and the recovered session becomes merged. Pure.
 */
public final class CartRecovery {

    /** The log entry of the session that received the cart (the contract's words). */
    public static final String RESTORED = "Restored from a recovery link";

    private CartRecovery() {
    }

    /** Both sessions after the restore, each one version on, and how many lines came over. */
    public record Restored(Session into, Session source, int lines) {
    }

    /**
     * Folds {@code source} into {@code into}: lines with the same sku and attributes are one line
     * (quantities summed and capped), the target holds at most {@code maxLines} lines and
     * {@link Cart#MAX_DISCOUNTS} discounts; {@code into}'s note and attribute values win over the
     * recovered ones, and attributes are added while there is room. What did not fit is logged.
     *
     * @throws ChangeRejected when {@code into} is not open, or its currency is not the recovered cart's
     */
    public static Restored apply(Session into, Session source, RecoveredFrom link, int maxLines, Instant now) {
        if (!into.isOpen()) {
            throw ChangeRejected.closed(into.status());
        }
        String currency = source.arrival().currency();
        if (!into.arrival().currency().equals(currency)) {
            throw ChangeRejected.invalid("into", "the session's currency is " + into.arrival().currency()
                    + " and the recovered cart's is " + currency);
        }
        Cart.Merged cart = into.cart().merging(source.cart(), maxLines);
        Map<String, String> attributes = new TreeMap<>(into.attributes());
        List<String> droppedKeys = new ArrayList<>();
        source.attributes().forEach((key, value) -> {
            if (attributes.containsKey(key)) {
                return;
            }
            if (attributes.size() < Attributes.MAX_PER_SESSION) {
                attributes.put(key, value);
            } else {
                droppedKeys.add(key);
            }
        });
        Session restored = into.withCart(cart.cart())
                .withNote(into.note() != null ? into.note() : source.note())
                .withAttributes(attributes)
                .withRecoveredFrom(link)
                .logged(now, RESTORED);
        restored = dropped(restored, now, "lines", cart.droppedSkus(), maxLines);
        restored = dropped(restored, now, "discounts", cart.droppedCodes(), Cart.MAX_DISCOUNTS);
        restored = dropped(restored, now, "attributes", droppedKeys, Attributes.MAX_PER_SESSION);
        Session merged = source.withStatus(Status.MERGED)
                .logged(now, "Merged into session " + into.id().key() + " by recovery link " + link.linkId())
                .advanced(now);
        int lines = source.cart().lines().size() - cart.droppedSkus().size();
        return new Restored(restored.advanced(now), merged, lines);
    }

    private static Session dropped(Session session, Instant now, String what, List<String> names, int limit) {
        if (names.isEmpty()) {
            return session;
        }
        return session.logged(now, "Dropped " + names.size() + " recovered " + what + " past the limit of " + limit
                + ": " + String.join(", ", names));
    }
}
