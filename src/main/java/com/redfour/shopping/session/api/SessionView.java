package com.redfour.shopping.session.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Timestamps;
import com.redfour.shopping.session.Totals;
import io.quarkus.runtime.annotations.RegisterForReflection;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** The session document every session endpoint answers with (see the contract). */
@RegisterForReflection
public record SessionView(
        String store,
        String key,
        long version,
        String status,
        String currency,
        String landing,
        String referrer,
        String ip,
        String memberId,
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
    public record Item(String sku, String name, BigDecimal price, int quantity, BigDecimal lineTotal) {
        static Item of(LineItem line) {
            return new Item(line.sku(), line.name(), line.price(), line.quantity(), line.lineTotal());
        }
    }

    /** An applied discount: exactly one of the two amounts is present. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DiscountView(String code, BigDecimal percentOff, BigDecimal amountOff) {
        static DiscountView of(Discount discount) {
            return new DiscountView(discount.code(), discount.percentOff(), discount.amountOff());
        }
    }

    /** A log entry. */
    @RegisterForReflection
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

    /** UTC ISO-8601 with milliseconds ({@link Timestamps#iso}). */
    static String timestamp(Instant instant) {
        return Timestamps.iso(instant);
    }
}
