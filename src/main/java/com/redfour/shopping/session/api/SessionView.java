package com.redfour.shopping.session.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Totals;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** The session document every session endpoint answers with (see the contract). */
@RegisterForReflection
@Schema(requiredProperties = {"store", "key", "version", "status", "currency", "landing", "referrer", "ip", "memberId",
        "items", "discounts", "itemCount", "subtotal", "discountTotal", "total", "logs", "createdAt", "updatedAt", "expiresAt"})
public record SessionView(
        String store,
        String key,
        long version,
        String status,
        String currency,
        String landing,
        @Schema(nullable = true) String referrer,
        @Schema(nullable = true) String ip,
        @Schema(nullable = true) String memberId,
        List<Item> items,
        List<DiscountView> discounts,
        int itemCount,
        BigDecimal subtotal,
        BigDecimal discountTotal,
        BigDecimal total,
        List<Log> logs,
        String createdAt,
        String updatedAt,
        String expiresAt) {

    /** A line of the cart with its total. */
    @RegisterForReflection
    @Schema(requiredProperties = {"sku", "name", "price", "quantity", "lineTotal"})
    public record Item(String sku, String name, BigDecimal price, int quantity, BigDecimal lineTotal) {
        static Item of(LineItem line) {
            return new Item(line.sku(), line.name(), line.price(), line.quantity(), line.lineTotal());
        }
    }

    /** An applied discount: exactly one of the two amounts is present. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(requiredProperties = "code")
    public record DiscountView(String code, BigDecimal percentOff, BigDecimal amountOff) {
        static DiscountView of(Discount discount) {
            return new DiscountView(discount.code(), discount.percentOff(), discount.amountOff());
        }
    }

    /** A log entry. */
    @RegisterForReflection
    @Schema(requiredProperties = {"at", "entry"})
    public record Log(String at, String entry) {
        static Log of(LogEntry log) {
            return new Log(timestamp(log.at()), log.entry());
        }
    }

    public static SessionView of(Session s, Instant expiresAt) {
        Totals totals = s.totals();
        Arrival arrival = s.arrival();
        return new SessionView(s.id().store(), s.id().key(), s.version(), s.status().wireName(), arrival.currency(),
                arrival.landing(), arrival.referrer(), arrival.ip(), s.memberId(),
                s.cart().lines().stream().map(Item::of).toList(),
                s.cart().discounts().stream().map(DiscountView::of).toList(),
                totals.itemCount(), totals.subtotal(), totals.discountTotal(), totals.total(),
                s.logs().stream().map(Log::of).toList(),
                timestamp(s.createdAt()), timestamp(s.updatedAt()), timestamp(expiresAt));
    }

    /**
     * UTC ISO-8601 with milliseconds, as in {@code 2026-11-23T10:00:00.123Z}. Instants here are whole
     * milliseconds (the service's clock ticks in them), which {@link Instant#toString()} writes with
     * three fraction digits, except a whole second, which it writes with none.
     */
    static String timestamp(Instant instant) {
        Instant millis = instant.getNano() % 1_000_000 == 0 ? instant : instant.truncatedTo(ChronoUnit.MILLIS);
        String text = millis.toString();
        return millis.getNano() == 0 ? text.substring(0, text.length() - 1) + ".000Z" : text;
    }
}
