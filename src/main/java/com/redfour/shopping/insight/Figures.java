package com.redfour.shopping.insight;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The figures of one row of a store's insights: how many sessions, how many had items, converted, were
 * abandoned and were recovered, and per currency what they brought and what was left behind. Rates and
 * averages are derived, never stored.
 *
 * @param money per currency code, sorted
 */
public record Figures(long sessions, long withItems, long converted, long abandoned, long recovered,
        Map<String, Amounts> money) {

    public static final Figures NONE = new Figures(0, 0, 0, 0, 0, Map.of());

    /** The conversion rate's decimals. */
    public static final int RATE_SCALE = 4;

    /**
     * One currency's part.
     *
     * @param converted converted sessions in this currency
     * @param revenue their totals at close
     * @param lost abandoned sessions in this currency that did not convert
     * @param abandonedValue their totals as of their last change
     */
    public record Amounts(long converted, BigDecimal revenue, long lost, BigDecimal abandonedValue) {

        Amounts plus(Amounts other) {
            return new Amounts(converted + other.converted, revenue.add(other.revenue), lost + other.lost,
                    abandonedValue.add(other.abandonedValue));
        }
    }

    public Figures {
        money = Collections.unmodifiableMap(new TreeMap<>(money));
    }

    /** These figures and {@code other}'s together. */
    public Figures plus(Figures other) {
        Map<String, Amounts> sum = new TreeMap<>(money);
        other.money.forEach((currency, amounts) -> sum.merge(currency, amounts, Amounts::plus));
        return new Figures(sessions + other.sessions, withItems + other.withItems, converted + other.converted,
                abandoned + other.abandoned, recovered + other.recovered, sum);
    }

    /** Converted per session, rounded half-even to four decimals; 0 when there are no sessions. */
    public BigDecimal conversionRate() {
        return sessions == 0 ? BigDecimal.ZERO.setScale(RATE_SCALE)
                : BigDecimal.valueOf(converted).divide(BigDecimal.valueOf(sessions), RATE_SCALE, RoundingMode.HALF_EVEN);
    }

    /** The converted sessions' totals at close, per currency that has any. */
    public Map<String, BigDecimal> revenue() {
        return per(a -> a.converted() > 0, Amounts::revenue);
    }

    /** Revenue per converted session, per currency, rounded half-even to cents. */
    public Map<String, BigDecimal> averageOrderValue() {
        return per(a -> a.converted() > 0,
                a -> a.revenue().divide(BigDecimal.valueOf(a.converted()), 2, RoundingMode.HALF_EVEN));
    }

    /** The abandoned sessions' totals, of those that did not convert, per currency that has any. */
    public Map<String, BigDecimal> abandonedValue() {
        return per(a -> a.lost() > 0, Amounts::abandonedValue);
    }

    private Map<String, BigDecimal> per(Predicate<Amounts> counted, Function<Amounts, BigDecimal> amount) {
        Map<String, BigDecimal> out = new TreeMap<>();
        money.forEach((currency, amounts) -> {
            if (counted.test(amounts)) {
                out.put(currency, amount.apply(amounts));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** The sum of {@code items}' figures. */
    public static <T> Figures sum(Iterable<T> items, Function<T, Figures> figures) {
        Figures total = NONE;
        for (T item : items) {
            total = total.plus(figures.apply(item));
        }
        return total;
    }
}
