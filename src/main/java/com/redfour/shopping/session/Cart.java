package com.redfour.shopping.session;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the customer selected: lines and discount codes, with the rules that bound them (quantities,
 * line and discount limits) and the merge of another cart into this one. Immutable.
 *
 * <p>A line is identified by its sku and attributes; its {@code lineId} is {@code l<n>}, where
 * {@code n} counts every line the cart ever had ({@code lastLineNumber}), so an id is never reused.
 */
public record Cart(List<LineItem> lines, List<Discount> discounts, long lastLineNumber) {

    /** How many lines a session holds unless configured otherwise ({@code REDFOUR_SESSION_MAX_LINES}). */
    public static final int DEFAULT_MAX_LINES = 250;
    public static final int MAX_DISCOUNTS = 10;
    public static final int MAX_QUANTITY = 999;

    public static final Cart EMPTY = new Cart(List.of(), List.of(), 0);

    public Cart {
        lines = List.copyOf(lines);
        discounts = List.copyOf(discounts);
    }

    public Totals totals() {
        return Totals.of(lines, discounts);
    }

    /** The line for {@code sku} with exactly {@code attributes}, if there is one. */
    public Optional<LineItem> line(String sku, Map<String, String> attributes) {
        Map<String, String> wanted = Attributes.copyOf(attributes);
        return lines.stream().filter(line -> line.isFor(sku, wanted)).findFirst();
    }

    /** The line {@code lineId}, if there is one. */
    public Optional<LineItem> lineById(String lineId) {
        return lines.stream().filter(line -> line.lineId().equals(lineId)).findFirst();
    }

    /**
     * The one line with {@code sku}, as the v1 sku endpoints address lines.
     *
     * @throws ChangeRejected not found when no line has the sku, ambiguous when several do
     */
    public LineItem onlyLineWithSku(String sku) {
        List<LineItem> found = lines.stream().filter(line -> line.sku().equals(sku)).toList();
        if (found.isEmpty()) {
            throw ChangeRejected.notFound("no line with sku " + sku);
        }
        if (found.size() > 1) {
            throw ChangeRejected.ambiguous(found.size() + " lines carry sku " + sku
                    + "; address one by its lineId under /lines/{lineId}");
        }
        return found.get(0);
    }

    public Optional<Discount> discount(String code) {
        return discounts.stream().filter(d -> d.code().equals(code)).findFirst();
    }

    /**
     * This cart with {@code quantity} more of {@code sku} with {@code attributes}, at the given name
     * and price: the line with that identity gains the quantity, else a new line is added.
     *
     * @throws ChangeRejected when the line would exceed its quantity or the cart its lines
     */
    public Cart selecting(String sku, String name, BigDecimal price, int quantity, Map<String, String> attributes,
            int maxLines) {
        Optional<LineItem> existing = line(sku, attributes);
        int newQuantity = existing.map(LineItem::quantity).orElse(0) + quantity;
        if (newQuantity > MAX_QUANTITY) {
            throw ChangeRejected.invalid("quantity",
                    "would make the line hold " + newQuantity + "; a line holds at most " + MAX_QUANTITY);
        }
        if (existing.isPresent()) {
            LineItem line = existing.get();
            return replacing(line, new LineItem(line.lineId(), sku, name, price, newQuantity, line.attributes()));
        }
        if (lines.size() >= maxLines) {
            throw ChangeRejected.invalid("sku",
                    "would be line " + (maxLines + 1) + "; a session holds at most " + maxLines + " lines");
        }
        List<LineItem> more = new ArrayList<>(lines);
        more.add(new LineItem(lineId(lastLineNumber + 1), sku, name, price, newQuantity, attributes));
        return new Cart(more, discounts, lastLineNumber + 1);
    }

    /** This cart with the line {@code lineId} at {@code quantity}; zero removes it. */
    public Cart withQuantity(String lineId, int quantity) {
        LineItem line = existing(lineId);
        return quantity == 0 ? without(lineId) : replacing(line, line.withQuantity(quantity));
    }

    /** This cart without the line {@code lineId}. */
    public Cart without(String lineId) {
        List<LineItem> kept = new ArrayList<>(lines);
        kept.remove(existing(lineId));
        return new Cart(kept, discounts, lastLineNumber);
    }

    public Cart withoutLines() {
        return new Cart(List.of(), discounts, lastLineNumber);
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
        return new Cart(lines, more, lastLineNumber);
    }

    /** This cart without the discount {@code code}. */
    public Cart withoutDiscount(String code) {
        Discount discount = discount(code)
                .orElseThrow(() -> ChangeRejected.notFound("discount " + code + " is not applied"));
        List<Discount> kept = new ArrayList<>(discounts);
        kept.remove(discount);
        return new Cart(lines, kept, lastLineNumber);
    }

    /** A merge of another cart into this one, and what did not fit. */
    public record Merged(Cart cart, List<String> droppedSkus, List<String> droppedCodes) {
    }

    /**
     * {@code other} folded into this cart: quantities of lines with the same sku and attributes summed
     * (capped per line, the line keeping its id, name and price here), other lines added with new ids
     * while they fit, discount codes added while they fit; what did not fit is named.
     */
    public Merged merging(Cart other, int maxLines) {
        List<LineItem> merged = new ArrayList<>(lines);
        long last = lastLineNumber;
        List<String> droppedSkus = new ArrayList<>();
        for (LineItem line : other.lines) {
            int at = indexOf(merged, line);
            if (at >= 0) {
                LineItem mine = merged.get(at);
                merged.set(at, mine.withQuantity(Math.min(MAX_QUANTITY, mine.quantity() + line.quantity())));
            } else if (merged.size() < maxLines) {
                merged.add(line.withId(lineId(++last)));
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
        return new Merged(new Cart(merged, codes, last), droppedSkus, droppedCodes);
    }

    /** The id of the {@code number}th line a cart ever had. */
    public static String lineId(long number) {
        return "l" + number;
    }

    private Cart replacing(LineItem old, LineItem line) {
        List<LineItem> next = new ArrayList<>(lines);
        next.set(next.indexOf(old), line);
        return new Cart(next, discounts, lastLineNumber);
    }

    private LineItem existing(String lineId) {
        return lineById(lineId).orElseThrow(() -> ChangeRejected.notFound("no line " + lineId));
    }

    private static int indexOf(List<LineItem> lines, LineItem like) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isFor(like.sku(), like.attributes())) {
                return i;
            }
        }
        return -1;
    }
}
