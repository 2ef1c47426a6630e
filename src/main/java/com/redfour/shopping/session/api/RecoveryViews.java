package com.redfour.shopping.session.api;

import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Totals;
import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.write.RecoveryLinks;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import static com.redfour.shopping.session.api.SessionView.timestamp;

/** The response bodies of the cart recovery endpoints. */
final class RecoveryViews {

    private RecoveryViews() {
    }

    /** A link just made: the only response that ever carries its token. */
    @RegisterForReflection
    @Schema(requiredProperties = {"id", "token", "url", "campaign", "expiresAt"})
    record NewLink(String id,
            @Schema(description = "The link's secret (192 random bits, URL-safe): shown only here, stored only as a hash", pattern = "^[A-Za-z0-9_-]{22,64}$")
            String token,
            @Schema(nullable = true, description = "REDFOUR_RECOVERY_URL with the token put in; null when not configured") String url,
            @Schema(nullable = true) String campaign,
            String expiresAt) {
    }

    /** A link as listed: never its token. */
    @RegisterForReflection
    @Schema(requiredProperties = {"id", "campaign", "createdAt", "expiresAt", "usedAt"})
    record Listed(String id, @Schema(nullable = true) String campaign, String createdAt, String expiresAt,
            @Schema(nullable = true, description = "When a restore used it; null while unused") String usedAt) {
        static Listed of(RecoveryLink link) {
            return new Listed(link.id(), link.campaign(), timestamp(link.createdAt()), timestamp(link.expiresAt()),
                    link.usedAt() == null ? null : timestamp(link.usedAt()));
        }
    }

    /** {@code {"links": [...]}}, oldest first. */
    @RegisterForReflection
    @Schema(requiredProperties = "links")
    record Links(List<Listed> links) {
    }

    /**
     * What opening a link shows: the cart, and nothing else of its session. Only a {@code ready} link
     * shows a cart; a used or expired one shows an empty cart and a null currency.
     */
    @RegisterForReflection
    @Schema(requiredProperties = {"status", "expiresAt", "currency", "items", "discounts", "itemCount", "subtotal",
            "discountTotal", "total"})
    record Preview(@Schema(enumeration = {"ready", "used", "expired"}) String status,
            String expiresAt,
            @Schema(nullable = true, description = "The cart's currency; null unless ready") String currency,
            List<SessionView.Item> items,
            List<SessionView.DiscountView> discounts,
            int itemCount,
            BigDecimal subtotal,
            BigDecimal discountTotal,
            BigDecimal total) {

        static Preview of(RecoveryLinks.Preview preview) {
            String status = preview.state().name().toLowerCase(java.util.Locale.ROOT);
            String expiresAt = timestamp(preview.link().expiresAt());
            Optional<Session> session = preview.session();
            if (session.isEmpty()) {
                return new Preview(status, expiresAt, null, List.of(), List.of(), 0, BigDecimal.ZERO.setScale(2),
                        BigDecimal.ZERO.setScale(2), BigDecimal.ZERO.setScale(2));
            }
            Session s = session.get();
            Totals totals = s.totals();
            return new Preview(status, expiresAt, s.arrival().currency(),
                    s.cart().lines().stream().map(SessionView.Item::of).toList(),
                    s.cart().discounts().stream().map(SessionView.DiscountView::of).toList(),
                    totals.itemCount(), totals.subtotal(), totals.discountTotal(), totals.total());
        }
    }
}
