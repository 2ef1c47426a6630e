package com.redfour.shopping.session;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure rules of a session: no Quarkus, no database. */
class SessionRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
    private static final Instant T1 = T0.plusSeconds(5);

    private static Session fresh() {
        return Session.create(new SessionId("demo", "k7Qm2v9XcL0pRt4sWz"), new Arrival("/", null, "203.0.113.9", "USD"), null, T0);
    }

    private static BigDecimal money(String value) {
        return new BigDecimal(value);
    }

    @Test
    void aNewSessionIsOpenAtVersionOneWithOneLogEntry() {
        Session s = fresh();
        assertThat(s.version()).isEqualTo(1);
        assertThat(s.status()).isEqualTo(Status.OPEN);
        assertThat(s.logs()).extracting(LogEntry::entry).containsExactly("Session created");
        assertThat(s.totals()).isEqualTo(new Totals(0, money("0.00"), money("0.00"), money("0.00")));
    }

    @Test
    void selectingAnItemAddsALineBumpsTheVersionAndLogs() {
        Session s = new Change.SelectItem("RKT-1", "Falcon rocket", money("19.99"), 2).applyTo(fresh(), T1);
        assertThat(s.version()).isEqualTo(2);
        assertThat(s.updatedAt()).isEqualTo(T1);
        assertThat(s.cart().lines()).containsExactly(new LineItem("RKT-1", "Falcon rocket", money("19.99"), 2));
        assertThat(s.totals().subtotal()).isEqualTo(money("39.98"));
        assertThat(s.totals().itemCount()).isEqualTo(2);
        assertThat(s.logs().get(1)).isEqualTo(new LogEntry(T1, "Selected RKT-1 x2"));
    }

    @Test
    void selectingAnExistingSkuAddsQuantityAndTakesTheNewNameAndPrice() {
        Session s = new Change.SelectItem("RKT-1", "Falcon", money("19.99"), 2).applyTo(fresh(), T1);
        s = new Change.SelectItem("RKT-1", "Falcon 9", money("21.50"), 3).applyTo(s, T1);
        assertThat(s.cart().lines()).containsExactly(new LineItem("RKT-1", "Falcon 9", money("21.50"), 5));
        assertThat(s.version()).isEqualTo(3);
    }

    @Test
    void aLineNeverExceeds999() {
        Session s = new Change.SelectItem("RKT-1", "Falcon", money("1"), 999).applyTo(fresh(), T1);
        Session full = s;
        assertThatThrownBy(() -> new Change.SelectItem("RKT-1", "Falcon", money("1"), 1).applyTo(full, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.INVALID);
                    assertThat(e.field()).contains("quantity");
                });
    }

    @Test
    void aSessionHoldsAtMost100Lines() {
        Session s = fresh();
        for (int i = 0; i < Cart.MAX_LINES; i++) {
            s = new Change.SelectItem("SKU-" + i, "Item " + i, money("1.00"), 1).applyTo(s, T1);
        }
        Session full = s;
        assertThatThrownBy(() -> new Change.SelectItem("SKU-100", "One too many", money("1.00"), 1).applyTo(full, T1))
                .isInstanceOf(ChangeRejected.class);
        // an existing line still takes more
        assertThat(new Change.SelectItem("SKU-0", "Item 0", money("1.00"), 1).applyTo(full, T1).cart().line("SKU-0"))
                .map(LineItem::quantity).contains(2);
    }

    @Test
    void aNegativePriceIsRejectedAndLeavesAnAuditEntry() {
        assertThatThrownBy(() -> new Change.SelectItem("RKT-1", "Falcon", money("-1.00"), 1).applyTo(fresh(), T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.INVALID);
                    assertThat(e.field()).contains("price");
                    assertThat(e.auditEntry()).contains("Rejected RKT-1: negative price");
                });
    }

    @Test
    void changingQuantityToZeroRemovesTheLine() {
        Session s = new Change.SelectItem("RKT-1", "Falcon", money("5"), 2).applyTo(fresh(), T1);
        Session changed = new Change.ChangeQuantity("RKT-1", 7).applyTo(s, T1);
        assertThat(changed.cart().line("RKT-1")).map(LineItem::quantity).contains(7);
        assertThat(changed.logs().get(changed.logs().size() - 1).entry()).isEqualTo("Changed RKT-1 quantity to 7");
        Session removed = new Change.ChangeQuantity("RKT-1", 0).applyTo(changed, T1);
        assertThat(removed.cart().lines()).isEmpty();
        assertThat(removed.version()).isEqualTo(changed.version() + 1);
    }

    @Test
    void changingOrRemovingAMissingLineIsNotFound() {
        assertThatThrownBy(() -> new Change.ChangeQuantity("NOPE", 1).applyTo(fresh(), T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.NOT_FOUND));
        assertThatThrownBy(() -> new Change.RemoveItem("NOPE").applyTo(fresh(), T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.NOT_FOUND));
    }

    @Test
    void clearingRemovesEveryLine() {
        Session s = new Change.SelectItem("A1", "A", money("1"), 1).applyTo(fresh(), T1);
        s = new Change.SelectItem("B1", "B", money("2"), 1).applyTo(s, T1);
        assertThat(new Change.ClearItems().applyTo(s, T1).cart().lines()).isEmpty();
    }

    @Test
    void percentDiscountsRoundHalfEvenToCents() {
        // 10% of 39.98 = 3.998 -> 4.00; 5% of 0.50 = 0.025 -> 0.02 (half-even), 15% of 0.50 = 0.075 -> 0.08
        assertThat(Money.percentOf(money("39.98"), money("10"))).isEqualTo(money("4.00"));
        assertThat(Money.percentOf(money("0.50"), money("5"))).isEqualTo(money("0.02"));
        assertThat(Money.percentOf(money("0.50"), money("15"))).isEqualTo(money("0.08"));
        assertThat(Money.percentOf(money("0.10"), money("25"))).isEqualTo(money("0.02"));
        assertThat(Money.percentOf(money("0.30"), money("25"))).isEqualTo(money("0.08"));
    }

    @Test
    void theContractsExampleAddsUp() {
        Session s = new Change.SelectItem("RKT-1", "Falcon rocket", money("19.99"), 2).applyTo(fresh(), T1);
        s = new Change.ApplyDiscount(new Discount.PercentOff("SPRING10", money("10"))).applyTo(s, T1);
        assertThat(s.totals()).isEqualTo(new Totals(2, money("39.98"), money("4.00"), money("35.98")));
    }

    @Test
    void discountsNeverTakeMoreThanTheSubtotal() {
        Session s = new Change.SelectItem("A1", "A", money("3.00"), 1).applyTo(fresh(), T1);
        s = new Change.ApplyDiscount(new Discount.AmountOff("TENOFF", money("10"))).applyTo(s, T1);
        s = new Change.ApplyDiscount(new Discount.PercentOff("HALF", money("50"))).applyTo(s, T1);
        assertThat(s.totals()).isEqualTo(new Totals(1, money("3.00"), money("3.00"), money("0.00")));
    }

    @Test
    void applyingAnAppliedCodeChangesNothing() {
        Session s = new Change.ApplyDiscount(new Discount.PercentOff("SPRING10", money("10"))).applyTo(fresh(), T1);
        Session again = new Change.ApplyDiscount(new Discount.AmountOff("SPRING10", money("5"))).applyTo(s, T1);
        assertThat(again).isSameAs(s);
    }

    @Test
    void aSessionHoldsAtMostTenDiscounts() {
        Session s = fresh();
        for (int i = 0; i < Cart.MAX_DISCOUNTS; i++) {
            s = new Change.ApplyDiscount(new Discount.AmountOff("C" + i, money("1"))).applyTo(s, T1);
        }
        Session full = s;
        assertThatThrownBy(() -> new Change.ApplyDiscount(new Discount.AmountOff("C10", money("1"))).applyTo(full, T1))
                .isInstanceOf(ChangeRejected.class);
    }

    @Test
    void removingADiscountThatIsNotAppliedIsNotFound() {
        assertThatThrownBy(() -> new Change.RemoveDiscount("NOPE").applyTo(fresh(), T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.NOT_FOUND));
    }

    @Test
    void percentagesAreKeptInTheirShortestForm() {
        assertThat(new Discount.PercentOff("X", money("10.00")).percentOff()).isEqualTo(money("10"));
        assertThat(new Discount.PercentOff("X", money("12.50")).percentOff()).isEqualTo(money("12.5"));
    }

    @Test
    void theLogKeepsOnlyTheNewest200Entries() {
        Session s = fresh();
        for (int i = 0; i < 250; i++) {
            s = new Change.RecordActivity("viewed page " + i).applyTo(s, T1);
        }
        assertThat(s.logs()).hasSize(Session.MAX_LOG_ENTRIES);
        assertThat(s.logs().get(0).entry()).isEqualTo("viewed page 50");
        assertThat(s.logs().get(199).entry()).isEqualTo("viewed page 249");
        assertThat(s.version()).isEqualTo(251);
    }

    @Test
    void aClosedSessionAcceptsNoChanges() {
        Session closed = new Change.Close("ORDER-1").applyTo(fresh(), T1);
        assertThat(closed.status()).isEqualTo(Status.CLOSED);
        assertThat(closed.logs().get(1).entry()).isEqualTo("Closed as order ORDER-1");
        List<Change> changes = List.of(new Change.SelectItem("A1", "A", money("1"), 1), new Change.ClearItems(),
                new Change.Close(null), new Change.RecordActivity("x"), new Change.SignOut());
        for (Change change : changes) {
            assertThatThrownBy(() -> change.applyTo(closed, T1))
                    .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.CLOSED));
        }
    }

    @Test
    void signingInAndOutSetsAndClearsTheMember() {
        Session in = new Change.SignIn("ann@example.com").applyTo(fresh(), T1);
        assertThat(in.memberId()).isEqualTo("ann@example.com");
        Session out = new Change.SignOut().applyTo(in, T1);
        assertThat(out.memberId()).isNull();
        assertThat(out.logs()).extracting(LogEntry::entry).endsWith("Signed in as member ann@example.com", "Signed out");
    }

    @Test
    void mergingSumsQuantitiesCappedAndAddsLinesAndDiscounts() {
        Session target = new Change.SelectItem("A1", "A", money("1.00"), 500).applyTo(fresh(), T1);
        Session source = Session.create(new SessionId("demo", "otherSession0000001"), new Arrival("/", null, null, "USD"), "ann", T0);
        source = new Change.SelectItem("A1", "A", money("1.00"), 600).applyTo(source, T1);
        source = new Change.SelectItem("B1", "B", money("2.00"), 1).applyTo(source, T1);
        source = new Change.ApplyDiscount(new Discount.PercentOff("SPRING10", money("10"))).applyTo(source, T1);

        CartMerge.Merged merged = CartMerge.apply(target, source, "ann", T1);

        assertThat(merged.target().memberId()).isEqualTo("ann");
        assertThat(merged.target().version()).isEqualTo(target.version() + 1);
        assertThat(merged.target().cart().line("A1")).map(LineItem::quantity).contains(999);
        assertThat(merged.target().cart().line("B1")).map(LineItem::quantity).contains(1);
        assertThat(merged.target().cart().discount("SPRING10")).isPresent();
        assertThat(merged.target().logs()).extracting(LogEntry::entry)
                .contains("Merged session otherSession0000001: 2 lines, 1 discounts");
        assertThat(merged.source().status()).isEqualTo(Status.MERGED);
        assertThat(merged.source().version()).isEqualTo(source.version() + 1);
        assertThat(merged.source().logs()).extracting(LogEntry::entry).endsWith("Merged into session k7Qm2v9XcL0pRt4sWz");
    }

    @Test
    void mergingDropsLinesPastTheLimitWithALogEntry() {
        Session target = fresh();
        for (int i = 0; i < 99; i++) {
            target = new Change.SelectItem("T-" + i, "t", money("1"), 1).applyTo(target, T1);
        }
        Session source = Session.create(new SessionId("demo", "otherSession0000001"), new Arrival("/", null, null, "USD"), "ann", T0);
        for (String sku : List.of("S-1", "S-2", "S-3")) {
            source = new Change.SelectItem(sku, "s", money("1"), 1).applyTo(source, T1);
        }
        CartMerge.Merged merged = CartMerge.apply(target, source, "ann", T1);
        assertThat(merged.target().cart().lines()).hasSize(100);
        assertThat(merged.target().cart().line("S-1")).isPresent();
        assertThat(merged.target().logs()).extracting(LogEntry::entry)
                .contains("Dropped 2 lines of session otherSession0000001 past the limit of 100: S-2, S-3");
    }

    @Test
    void mergingIntoAClosedSessionIsRefused() {
        Session closed = new Change.Close(null).applyTo(fresh(), T1);
        Session source = Session.create(new SessionId("demo", "otherSession0000001"), new Arrival("/", null, null, "USD"), "ann", T0);
        assertThatThrownBy(() -> CartMerge.apply(closed, source, "ann", T1)).isInstanceOf(ChangeRejected.class);
    }

    @Test
    void sessionIdsFollowTheContractsPatterns() {
        assertThat(IntStream.of(15, 129).mapToObj("k"::repeat).toList()).allSatisfy(key ->
                assertThatThrownBy(() -> new SessionId("demo", key)).isInstanceOf(IllegalArgumentException.class));
        assertThatThrownBy(() -> new SessionId("Demo", "k".repeat(16))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionId("-demo", "k".repeat(16))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SessionId("shop.example.com", "k".repeat(128)).store()).isEqualTo("shop.example.com");
    }
}
