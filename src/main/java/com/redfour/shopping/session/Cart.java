package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the customer selected: lines and discount codes, with the rules that bound them (quantities,
 * line and discount limits) and the merge of another cart into this one. Immutable.
 */
public record Cart(List<LineItem> lines, List<Discount> discounts) {

    public static final int MAX_LINES = 100;
    public static final int MAX_DISCOUNTS = 10;
    public static final int MAX_QUANTITY = 999;

    public static final Cart EMPTY = new Cart(List.of(), List.of());

    public Cart {
        lines = List.copyOf(lines);
        discounts = List.copyOf(discounts);
    }

    public Totals totals() {
        return Totals.of(lines, discounts);
    }

    public Optional<LineItem> line(String sku) {
        return lines.stream().filter(line -> line.sku().equals(sku)).findFirst();
    }

    public Optional<Discount> discount(String code) {
        return discounts.stream().filter(d -> d.code().equals(code)).findFirst();
    }

    /**
     * This cart with {@code quantity} more of {@code sku}, at the given name and price.
     *
     * @throws ChangeRejected when the line would exceed its quantity or the cart its lines
     */
    public Cart selecting(String sku, String name, BigDecimal price, int quantity) {
        int at = indexOf(sku);
        int newQuantity = (at >= 0 ? lines.get(at).quantity() : 0) + quantity;
        if (newQuantity > MAX_QUANTITY) {
            throw ChangeRejected.invalid("quantity",
                    "would make the line hold " + newQuantity + "; a line holds at most " + MAX_QUANTITY);
        }
        if (at < 0 && lines.size() >= MAX_LINES) {
            throw ChangeRejected.invalid("sku",
                    "would be line " + (MAX_LINES + 1) + "; a session holds at most " + MAX_LINES + " lines");
        }
        return withLine(at, new LineItem(sku, name, price, newQuantity));
    }

    /** This cart with the line for {@code sku} at {@code quantity}; zero removes it. */
    public Cart withQuantity(String sku, int quantity) {
        int at = existing(sku);
        return quantity == 0 ? without(sku) : withLine(at, lines.get(at).withQuantity(quantity));
    }

    /** This cart without the line for {@code sku}. */
    public Cart without(String sku) {
        List<LineItem> kept = new ArrayList<>(lines);
        kept.remove(existing(sku));
        return new Cart(kept, discounts);
    }

    public Cart withoutLines() {
        return new Cart(List.of(), discounts);
    }

    /** This cart with {@code discount} added; the same instance when its code is already applied. */
    public Cart applying(Discount discount) {
        if (discount(discount.code()).isPresent()) {
            return this;
        }
        if (discounts.size() >= MAX_DISCOUNTS) {
            throw ChangeRejected.invalid("code", "would be discount " + (MAX_DISCOUNTS + 1)
                    + "; a session holds at most " + MAX_DISCOUNTS + " discounts");
        }
        List<Discount> more = new ArrayList<>(discounts);
        more.add(discount);
        return new Cart(lines, more);
    }

    /** This cart without the discount {@code code}. */
    public Cart withoutDiscount(String code) {
        Discount discount = discount(code)
                .orElseThrow(() -> ChangeRejected.notFound("discount " + code + " is not applied"));
        List<Discount> kept = new ArrayList<>(discounts);
        kept.remove(discount);
        return new Cart(lines, kept);
    }

    /** A merge of another cart into this one, and what did not fit. */
    public record Merged(Cart cart, List<String> droppedSkus, List<String> droppedCodes) {
    }

    /**
     * {@code other} folded into this cart: quantities of the same sku summed (capped per line), other
     * lines added while they fit, discount codes added while they fit; what did not fit is named.
     */
    public Merged merging(Cart other) {
        List<LineItem> merged = new ArrayList<>(lines);
        List<String> droppedSkus = new ArrayList<>();
        for (LineItem line : other.lines) {
            int at = indexOf(merged, line.sku());
            if (at >= 0) {
                LineItem mine = merged.get(at);
                merged.set(at, mine.withQuantity(Math.min(MAX_QUANTITY, mine.quantity() + line.quantity())));
            } else if (merged.size() < MAX_LINES) {
                merged.add(line);
            } else {
                droppedSkus.add(line.sku());
            }
        }
        List<Discount> codes = new ArrayList<>(discounts);
        List<String> droppedCodes = new ArrayList<>();
        for (Discount discount : other.discounts) {
            if (discount(discount.code()).isPresent()) {
                continue;
            }
            if (codes.size() < MAX_DISCOUNTS) {
                codes.add(discount);
            } else {
                droppedCodes.add(discount.code());
            }
        }
        return new Merged(new Cart(merged, codes), droppedSkus, droppedCodes);
    }

    private Cart withLine(int at, LineItem line) {
        List<LineItem> next = new ArrayList<>(lines);
        if (at >= 0) {
            next.set(at, line);
        } else {
            next.add(line);
        }
        return new Cart(next, discounts);
    }

    private int existing(String sku) {
        int at = indexOf(sku);
        if (at < 0) {
            throw ChangeRejected.notFound("no line with sku " + sku);
        }
        return at;
    }

    private int indexOf(String sku) {
        return indexOf(lines, sku);
    }

    private static int indexOf(List<LineItem> lines, String sku) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).sku().equals(sku)) {
                return i;
            }
        }
        return -1;
    }
}
