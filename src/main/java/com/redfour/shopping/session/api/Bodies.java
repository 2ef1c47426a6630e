package com.redfour.shopping.session.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;

/** The JSON request bodies of the session endpoints, with the contract's limits on each field. */
@RegisterForReflection(targets = {Bodies.OpenSession.class, Bodies.SelectItem.class, Bodies.ChangeQuantity.class,
        Bodies.ApplyDiscount.class, Bodies.SignIn.class, Bodies.RecordActivity.class, Bodies.Close.class,
        Bodies.SetNote.class, Bodies.RecordTouch.class, Bodies.NewRecoveryLink.class, Bodies.Restore.class})
public final class Bodies {

    static final String SKU = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$";
    static final String CODE = "^[A-Za-z0-9_-]{1,32}$";
    static final String LINE_ID = "^[A-Za-z0-9_-]{1,32}$";
    static final String MEMBER_ID = "^[A-Za-z0-9_.@-]{1,128}$";
    static final String CURRENCY = "^[A-Z]{3}$";
    static final String CAMPAIGN = "^[A-Za-z0-9_.-]{1,64}$";
    static final String ORDER_ID = "^[\\x21-\\x7E]{1,128}$";
    /** An IPv4 address, or an IPv6 address (possibly ending in IPv4 form). */
    static final String IP = "^((\\d{1,3}\\.){3}\\d{1,3}|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(:(\\d{1,3}\\.){3}\\d{1,3})?)$";

    private Bodies() {
    }

    /** {@code PUT /sessions/{key}}: how the customer arrived (every field optional). */
    public record OpenSession(
            @Size(max = 2048) String landing,
            @Size(max = 2048) String referrer,
            @Pattern(regexp = IP, message = "must be an IPv4 or IPv6 address") String ip,
            @Pattern(regexp = MEMBER_ID) String memberId,
            @Pattern(regexp = CURRENCY, message = "must be three upper-case letters") String currency) {
    }

    /**
     * {@code POST /items}. The price may be negative here: the session logs that as tampering. The
     * attributes' keys and values are checked by {@link SessionResource} against {@code Attributes}.
     */
    public record SelectItem(
            @NotNull @Pattern(regexp = SKU) String sku,
            @NotNull @Size(min = 1, max = 200) String name,
            @NotNull @DecimalMax("1000000") @Digits(integer = 7, fraction = 2, message = "must have at most two decimals") BigDecimal price,
            @Min(1) @Max(999) Long quantity,
            @Schema(description = "At most 10 string values (key ^[A-Za-z0-9_.-]{1,40}$, value 0..200 characters); "
                    + "with the sku, the line's identity", example = "{\"engraving\": \"For Ada\"}")
            @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> attributes) {

        public SelectItem {
            // sorted, so that the idempotency fingerprint does not depend on the order keys were sent in
            attributes = attributes == null ? null : new TreeMap<>(attributes);
        }
    }

    /** {@code PATCH /items/{sku}}: the line's new quantity, 0 removing it. */
    public record ChangeQuantity(@NotNull @Min(0) @Max(999) Long quantity) {
    }

    /** {@code POST /discounts}: a code with exactly one of {@code percentOff} and {@code amountOff}. */
    public record ApplyDiscount(
            @NotNull @Pattern(regexp = CODE) String code,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") @Digits(integer = 3, fraction = 4) BigDecimal percentOff,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1000000") @Digits(integer = 7, fraction = 2, message = "must have at most two decimals") BigDecimal amountOff) {
    }

    /** {@code PUT /member}: sign in, optionally merging the member's most recent other open session. */
    public record SignIn(@NotNull @Pattern(regexp = MEMBER_ID) String memberId, Boolean merge) {
    }

    /** {@code POST /logs}: something the storefront saw the customer do. */
    public record RecordActivity(@NotNull @Size(min = 1, max = 500) String entry) {
    }

    /** {@code PUT /note}: the customer's note. */
    public record SetNote(@NotNull @Size(min = 1, max = 1000) String note) {
    }

    /** {@code POST /touches}: the customer came back (landing defaults to {@code /}, as at creation). */
    public record RecordTouch(@Size(max = 2048) String landing, @Size(max = 2048) String referrer) {
    }

    /** {@code POST /close}: the order the session became, if the storefront wants it recorded. */
    public record Close(@Pattern(regexp = ORDER_ID, message = "must be 1 to 128 visible ASCII characters") String orderId) {
    }

    /** {@code POST /recovery-links}: how long the link lives ({@code PT1H}..{@code P30D}, default {@code P7D}) and its campaign. */
    public record NewRecoveryLink(
            @Schema(description = "ISO-8601 duration, PT1H..P30D (default P7D)", example = "P7D") String ttl,
            @Pattern(regexp = CAMPAIGN) String campaign) {
    }

    /** {@code POST /recovery/{token}/restore}: the session to give the cart to (created first when absent). */
    public record Restore(@NotNull @Pattern(regexp = com.redfour.shopping.session.SessionId.KEY_PATTERN) String into) {
    }
}
