package com.redfour.shopping.session.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.redfour.shopping.session.store.StoredLog;
import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Attribution;
import com.redfour.shopping.session.Discount;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.RecoveredFrom;
import com.redfour.shopping.session.SessionLog;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Timestamps;
import com.redfour.shopping.session.Totals;
import com.redfour.shopping.session.Touch;
import com.redfour.shopping.session.Warning;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.io.IOException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The session document every session endpoint answers with (see the contract). */
@RegisterForReflection
@Schema(requiredProperties = {"store", "key", "version", "status", "currency", "landing", "referrer", "ip", "memberId",
        "note", "attributes", "attribution", "recoveredFrom", "items", "discounts", "itemCount", "subtotal", "discountTotal", "total", "logs",
        "createdAt", "updatedAt", "expiresAt", "warnings"})
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
        @Schema(nullable = true, description = "The customer's note (PUT /note), null when none") String note,
        @Schema(description = "The session's attributes (PATCH /attributes), {} when none") Map<String, String> attributes,
        AttributionView attribution,
        @Schema(nullable = true, description = "Where the cart came from when a recovery link gave it back (POST /recovery/{token}/restore); null before")
        RecoveredFromView recoveredFrom,
        @Schema(type = SchemaType.ARRAY, implementation = Log.class) LogArray logs,
        String createdAt,
        String updatedAt,
        @Schema(description = "updatedAt + REDFOUR_SESSION_TTL, or + REDFOUR_SESSION_EMPTY_TTL while the session has no lines, member, note or attributes")
        String expiresAt,
        @Schema(description = "What the change this response answers should warn of (only that response carries them; never stored); [] otherwise")
        List<WarningView> warnings) {

    /** A line of the cart with its total. */
    @RegisterForReflection
    @Schema(requiredProperties = {"lineId", "sku", "name", "price", "quantity", "attributes", "lineTotal"})
    public record Item(
            @Schema(description = "Server-assigned, stable for the life of the line, unique in the session", pattern = Bodies.LINE_ID) String lineId,
            String sku, String name, BigDecimal price, int quantity,
            @Schema(description = "With the sku, the line's identity; {} when none") Map<String, String> attributes,
            BigDecimal lineTotal) {
        static Item of(LineItem line) {
            return new Item(line.lineId(), line.sku(), line.name(), line.price(), line.quantity(), line.attributes(),
                    line.lineTotal());
        }
    }

    /** First and last touch, and how many touches there were. */
    @RegisterForReflection
    public record AttributionView(TouchView first, TouchView last, long touches) {
        static AttributionView of(Attribution attribution) {
            return new AttributionView(TouchView.of(attribution.first()), TouchView.of(attribution.last()),
                    attribution.touches());
        }
    }

    /** One visit: when, where it landed, where from, and the landing URL's campaign tags. */
    @RegisterForReflection
    public record TouchView(String at, String landing, @Schema(nullable = true) String referrer, UtmView utm,
            @Schema(nullable = true, description = "The first of gclid, fbclid, msclkid in the landing URL's query") String clickId) {
        static TouchView of(Touch touch) {
            Touch.Utm utm = touch.utm();
            return new TouchView(timestamp(touch.at()), touch.landing(), touch.referrer(),
                    new UtmView(utm.source(), utm.medium(), utm.campaign(), utm.term(), utm.content()), touch.clickId());
        }
    }

    /** The landing URL's utm_* query parameters, percent-decoded; null when absent. */
    @RegisterForReflection
    public record UtmView(@Schema(nullable = true) String source, @Schema(nullable = true) String medium,
            @Schema(nullable = true) String campaign, @Schema(nullable = true) String term,
            @Schema(nullable = true) String content) {
    }

    /** A warning about the change this response answers. */
    @RegisterForReflection
    public record WarningView(@Schema(enumeration = "price-changed") String type, String lineId, String sku,
            BigDecimal from, BigDecimal to) {
        static WarningView of(Warning warning) {
            Warning.PriceChanged changed = (Warning.PriceChanged) warning;
            return new WarningView("price-changed", changed.lineId(), changed.sku(), changed.from(), changed.to());
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

    /** A log entry (the shape {@link LogArray} writes). */
    @RegisterForReflection
    @Schema(requiredProperties = {"at", "entry"})
    public record Log(String at, String entry) {
    }

    /**
     * The log as a JSON array of {@link Log}: the entries the store read are written as it stored them
     * (already in this shape), only the entries a change added are encoded ({@link StoredLog#array}).
     */
    @RegisterForReflection
    @JsonSerialize(using = LogArray.Writer.class)
    public record LogArray(String json) {
        static LogArray of(SessionLog log) {
            return new LogArray(StoredLog.array(log));
        }

        @RegisterForReflection
        static final class Writer extends StdSerializer<LogArray> {
            Writer() {
                super(LogArray.class);
            }

            @Override
            public void serialize(LogArray value, JsonGenerator json, SerializerProvider provider) throws IOException {
                json.writeRawValue(value.json());
            }
        }
    }

    /** {@code recoveredFrom}: when, by which link, in which campaign ({@code null} when the link had none). */
    @RegisterForReflection
    @Schema(requiredProperties = {"at", "linkId", "campaign"})
    public record RecoveredFromView(String at, String linkId, @Schema(nullable = true) String campaign) {
        static RecoveredFromView of(RecoveredFrom from) {
            return from == null ? null : new RecoveredFromView(timestamp(from.at()), from.linkId(), from.campaign());
        }
    }

    public static SessionView of(Session s, Instant expiresAt) {
        return of(s, expiresAt, List.of());
    }

    public static SessionView of(Session s, Instant expiresAt, List<Warning> warnings) {
        Totals totals = s.totals();
        Arrival arrival = s.arrival();
        return new SessionView(s.id().store(), s.id().key(), s.version(), s.status().wireName(), arrival.currency(),
                arrival.landing(), arrival.referrer(), arrival.ip(), s.memberId(),
                s.cart().lines().stream().map(Item::of).toList(),
                s.cart().discounts().stream().map(DiscountView::of).toList(),
                totals.itemCount(), totals.subtotal(), totals.discountTotal(), totals.total(),
                s.note(), s.attributes(), AttributionView.of(s.attribution()),
                RecoveredFromView.of(s.recoveredFrom()),
                LogArray.of(s.log()),
                timestamp(s.createdAt()), timestamp(s.updatedAt()), timestamp(expiresAt),
                warnings.stream().map(WarningView::of).toList());
    }

    /** UTC ISO-8601 with milliseconds ({@link Timestamps#iso}). */
    static String timestamp(Instant instant) {
        return Timestamps.iso(instant);
    }
}
