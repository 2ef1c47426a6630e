package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Exact money arithmetic: every amount is a {@link BigDecimal} with two decimals (cents). */
public final class Money {

    public static final BigDecimal ZERO = BigDecimal.ZERO.setScale(2);
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private Money() {
    }

    /** The amount at cent precision; throws if that would lose anything (more than two decimals). */
    public static BigDecimal exact(BigDecimal amount) {
        return amount.setScale(2, RoundingMode.UNNECESSARY);
    }

    /** {@code amount × percent / 100}, rounded half-even to cents. */
    public static BigDecimal percentOf(BigDecimal amount, BigDecimal percent) {
        return amount.multiply(percent).divide(HUNDRED).setScale(2, RoundingMode.HALF_EVEN);
    }
}
