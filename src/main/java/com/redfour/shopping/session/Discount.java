package com.redfour.shopping.session;

import java.math.BigDecimal;

/** A discount code applied to the session: a percentage of the subtotal or a fixed amount. */
public sealed interface Discount permits Discount.PercentOff, Discount.AmountOff {

    String code();

    /** The percentage of a percent-off discount; {@code null} for an amount-off one. */
    default BigDecimal percentOff() {
        return null;
    }

    /** The amount of an amount-off discount; {@code null} for a percent-off one. */
    default BigDecimal amountOff() {
        return null;
    }

    /** What this discount takes off the given subtotal, at cent precision. */
    BigDecimal amountOn(BigDecimal subtotal);

    /** {@code percent} of the subtotal, rounded half-even to cents. */
    record PercentOff(String code, BigDecimal percentOff) implements Discount {
        public PercentOff {
            percentOff = normalise(percentOff);
        }

        @Override
        public BigDecimal amountOn(BigDecimal subtotal) {
            return Money.percentOf(subtotal, percentOff);
        }
    }

    /** A fixed amount off. */
    record AmountOff(String code, BigDecimal amountOff) implements Discount {
        public AmountOff {
            amountOff = Money.exact(amountOff);
        }

        @Override
        public BigDecimal amountOn(BigDecimal subtotal) {
            return amountOff;
        }
    }

    /** 10, 10.0 and 10.00 are the same percentage; keep the shortest form. */
    private static BigDecimal normalise(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }
}
