package com.redfour.shopping.session;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
        assertThat(s.cart().lines()).containsExactly(new LineItem("l1", "RKT-1", "Falcon rocket", money("19.99"), 2, Map.of()));
        assertThat(s.totals().subtotal()).isEqualTo(money("39.98"));
        assertThat(s.totals().itemCount()).isEqualTo(2);
        assertThat(s.logs().get(1)).isEqualTo(new LogEntry(T1, "Selected RKT-1 x2"));
    }

    @Test
    void selectingAnExistingSkuAddsQuantityAndTakesTheNewNameAndPrice() {
        Session s = new Change.SelectItem("RKT-1", "Falcon", money("19.99"), 2).applyTo(fresh(), T1);
        s = new Change.SelectItem("RKT-1", "Falcon 9", money("21.50"), 3).applyTo(s, T1);
        assertThat(s.cart().lines()).containsExactly(new LineItem("l1", "RKT-1", "Falcon 9", money("21.50"), 5, Map.of()));
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
    void aSessionHoldsAtMost250LinesByDefault() {
        Session s = fresh();
        for (int i = 0; i < Cart.DEFAULT_MAX_LINES; i++) {
            s = new Change.SelectItem("SKU-" + i, "Item " + i, money("1.00"), 1).applyTo(s, T1);
        }
        Session full = s;
        assertThatThrownBy(() -> new Change.SelectItem("SKU-NEW", "One too many", money("1.00"), 1).applyTo(full, T1))
                .isInstanceOf(ChangeRejected.class);
        // an existing line still takes more
        assertThat(new Change.SelectItem("SKU-0", "Item 0", money("1.00"), 1).applyTo(full, T1).cart().line("SKU-0", Map.of()))
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
        assertThat(changed.cart().line("RKT-1", Map.of())).map(LineItem::quantity).contains(7);
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

        CartMerge.Merged merged = CartMerge.apply(target, source, "ann", 100, T1);

        assertThat(merged.target().memberId()).isEqualTo("ann");
        assertThat(merged.target().version()).isEqualTo(target.version() + 1);
        assertThat(merged.target().cart().line("A1", Map.of())).map(LineItem::quantity).contains(999);
        assertThat(merged.target().cart().line("B1", Map.of())).map(LineItem::quantity).contains(1);
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
        CartMerge.Merged merged = CartMerge.apply(target, source, "ann", 100, T1);
        assertThat(merged.target().cart().lines()).hasSize(100);
        assertThat(merged.target().cart().line("S-1", Map.of())).isPresent();
        assertThat(merged.target().logs()).extracting(LogEntry::entry)
                .contains("Dropped 2 lines of session otherSession0000001 past the limit of 100: S-2, S-3");
    }

    @Test
    void mergingIntoAClosedSessionIsRefused() {
        Session closed = new Change.Close(null).applyTo(fresh(), T1);
        Session source = Session.create(new SessionId("demo", "otherSession0000001"), new Arrival("/", null, null, "USD"), "ann", T0);
        assertThatThrownBy(() -> CartMerge.apply(closed, source, "ann", 100, T1)).isInstanceOf(ChangeRejected.class);
    }

    @Test
    void sessionIdsFollowTheContractsPatterns() {
        assertThat(IntStream.of(15, 129).mapToObj("k"::repeat).toList()).allSatisfy(key ->
                assertThatThrownBy(() -> new SessionId("demo", key)).isInstanceOf(IllegalArgumentException.class));
        assertThatThrownBy(() -> new SessionId("Demo", "k".repeat(16))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SessionId("-demo", "k".repeat(16))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new SessionId("shop.example.com", "k".repeat(128)).store()).isEqualTo("shop.example.com");
    }

    // --- v1.1: lines with attributes, note, attributes, touches, warnings -----------------------

    private static Change.SelectItem engraved(String sku, String engraving, String price, int quantity) {
        return new Change.SelectItem(sku, "Falcon", money(price), quantity, Map.of("engraving", engraving), Cart.DEFAULT_MAX_LINES);
    }

    @Test
    void linesAreIdentifiedBySkuAndAttributes() {
        Session s = engraved("RKT-1", "For Ada", "19.99", 1).applyTo(fresh(), T1);
        s = engraved("RKT-1", "For Ada", "19.99", 2).applyTo(s, T1);
        s = engraved("RKT-1", "For Bob", "19.99", 1).applyTo(s, T1);
        s = new Change.SelectItem("RKT-1", "Falcon", money("19.99"), 1).applyTo(s, T1);

        assertThat(s.cart().lines()).containsExactly(
                new LineItem("l1", "RKT-1", "Falcon", money("19.99"), 3, Map.of("engraving", "For Ada")),
                new LineItem("l2", "RKT-1", "Falcon", money("19.99"), 1, Map.of("engraving", "For Bob")),
                new LineItem("l3", "RKT-1", "Falcon", money("19.99"), 1, Map.of()));
    }

    @Test
    void lineIdsAreNeverReused() {
        Session s = new Change.SelectItem("A", "A", money("1"), 1).applyTo(fresh(), T1);
        s = new Change.SelectItem("B", "B", money("1"), 1).applyTo(s, T1);
        s = new Change.RemoveLine("l2").applyTo(s, T1);
        s = new Change.ClearItems().applyTo(s, T1);
        s = new Change.SelectItem("B", "B", money("1"), 1).applyTo(s, T1);
        assertThat(s.cart().lines()).extracting(LineItem::lineId).containsExactly("l3");
    }

    @Test
    void theSkuChangesAreAmbiguousWhenSeveralLinesCarryTheSku() {
        Session s = engraved("RKT-1", "For Ada", "1", 1).applyTo(fresh(), T1);
        s = engraved("RKT-1", "For Bob", "1", 1).applyTo(s, T1);
        Session two = s;
        assertThatThrownBy(() -> new Change.ChangeQuantity("RKT-1", 5).applyTo(two, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.AMBIGUOUS));
        assertThatThrownBy(() -> new Change.RemoveItem("RKT-1").applyTo(two, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.AMBIGUOUS));

        Session one = new Change.RemoveLine("l1").applyTo(two, T1);
        Session changed = new Change.ChangeQuantity("RKT-1", 5).applyTo(one, T1);
        assertThat(changed.cart().lines()).extracting(LineItem::lineId, LineItem::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("l2", 5));
    }

    @Test
    void lineChangesAddressALineByItsId() {
        Session s = engraved("RKT-1", "For Ada", "1", 1).applyTo(fresh(), T1);
        s = engraved("RKT-1", "For Bob", "1", 1).applyTo(s, T1);
        s = new Change.ChangeLineQuantity("l2", 7).applyTo(s, T1);
        assertThat(s.cart().lineById("l2")).map(LineItem::quantity).contains(7);
        assertThat(s.logs()).extracting(LogEntry::entry).endsWith("Changed RKT-1 (line l2) quantity to 7");
        s = new Change.ChangeLineQuantity("l1", 0).applyTo(s, T1);
        assertThat(s.cart().lines()).extracting(LineItem::lineId).containsExactly("l2");
        Session last = s;
        assertThatThrownBy(() -> new Change.RemoveLine("l1").applyTo(last, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.NOT_FOUND));
        assertThatThrownBy(() -> new Change.ChangeLineQuantity("l9", 1).applyTo(last, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.NOT_FOUND));
    }

    @Test
    void theLineLimitIsTheOneTheChangeCarries() {
        Session s = fresh();
        for (int i = 0; i < 3; i++) {
            s = new Change.SelectItem("S-" + i, "s", money("1"), 1, Map.of(), 3).applyTo(s, T1);
        }
        Session full = s;
        assertThatThrownBy(() -> new Change.SelectItem("S-9", "s", money("1"), 1, Map.of(), 3).applyTo(full, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.getMessage()).contains("at most 3 lines"));
    }

    @Test
    void aPriceChangeIsWarnedOfAndLogged() {
        Session s = engraved("RKT-1", "For Ada", "19.99", 1).applyTo(fresh(), T1);
        Change.SelectItem dearer = engraved("RKT-1", "For Ada", "21.5", 1);
        assertThat(dearer.warnings(s)).containsExactly(new Warning.PriceChanged("l1", "RKT-1", money("19.99"), money("21.50")));
        Session after = dearer.applyTo(s, T1);
        assertThat(after.logs()).extracting(LogEntry::entry).endsWith("Selected RKT-1 x1", "Price of RKT-1 changed from 19.99 to 21.50");
        assertThat(engraved("RKT-1", "For Ada", "21.50", 1).warnings(after)).isEmpty();
        assertThat(engraved("RKT-1", "For Bob", "5.00", 1).warnings(after)).isEmpty(); // a new line: nothing changed
    }

    @Test
    void mergingKeepsLinesWithDifferentAttributesApartAndGivesThemNewIds() {
        Session target = engraved("RKT-1", "For Ada", "1", 1).applyTo(fresh(), T1);
        Session source = Session.create(new SessionId("demo", "otherSession0000001"), new Arrival("/", null, null, "USD"), "ann", T0);
        source = new Change.SelectItem("X", "x", money("1"), 1).applyTo(source, T1);
        source = engraved("RKT-1", "For Ada", "1", 2).applyTo(source, T1);
        source = engraved("RKT-1", "For Bob", "1", 4).applyTo(source, T1);

        Session merged = CartMerge.apply(target, source, "ann", 250, T1).target();

        assertThat(merged.cart().lines()).extracting(LineItem::lineId, LineItem::sku, LineItem::quantity, LineItem::attributes)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("l1", "RKT-1", 3, Map.of("engraving", "For Ada")),
                        org.assertj.core.groups.Tuple.tuple("l2", "X", 1, Map.of()),
                        org.assertj.core.groups.Tuple.tuple("l3", "RKT-1", 4, Map.of("engraving", "For Bob")));
        assertThat(merged.cart().lastLineNumber()).isEqualTo(3);
    }

    @Test
    void theNoteIsSetAndClearedAndTheSameNoteChangesNothing() {
        Session s = new Change.SetNote("Gift wrap, please").applyTo(fresh(), T1);
        assertThat(s.note()).isEqualTo("Gift wrap, please");
        assertThat(s.version()).isEqualTo(2);
        assertThat(new Change.SetNote("Gift wrap, please").applyTo(s, T1)).isSameAs(s);
        Session cleared = new Change.ClearNote().applyTo(s, T1);
        assertThat(cleared.note()).isNull();
        assertThat(cleared.logs()).extracting(LogEntry::entry).endsWith("Note set", "Note cleared");
        assertThat(new Change.ClearNote().applyTo(cleared, T1)).isSameAs(cleared);
    }

    @Test
    void attributesArePatchedAndBounded() {
        Session s = new Change.ChangeAttributes(Map.of("gift", "yes", "channel", "app"), java.util.Set.of()).applyTo(fresh(), T1);
        s = new Change.ChangeAttributes(Map.of("gift", "no"), java.util.Set.of("channel", "absent")).applyTo(s, T1);
        assertThat(s.attributes()).isEqualTo(Map.of("gift", "no"));
        assertThat(s.logs()).extracting(LogEntry::entry)
                .endsWith("Attributes changed: set channel, gift", "Attributes changed: set gift; removed channel");
        assertThat(new Change.ChangeAttributes(Map.of("gift", "no"), java.util.Set.of("absent")).applyTo(s, T1)).isSameAs(s);

        java.util.Map<String, String> twenty = new java.util.HashMap<>();
        IntStream.range(0, 20).forEach(i -> twenty.put("k" + i, "v"));
        Session full = new Change.ChangeAttributes(twenty, java.util.Set.of()).applyTo(fresh(), T1);
        assertThatThrownBy(() -> new Change.ChangeAttributes(Map.of("one-more", "v"), java.util.Set.of()).applyTo(full, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.field()).contains("attributes"));
        assertThat(new Change.ChangeAttributes(Map.of("one-more", "v"), java.util.Set.of("k0")).applyTo(full, T1).attributes())
                .hasSize(20);
    }

    @Test
    void aTouchBecomesTheLastTouchAndTheFirstStays() {
        Session s = Session.create(new SessionId("demo", "k7Qm2v9XcL0pRt4sWz"),
                new Arrival("/p?utm_source=news&gclid=g1", "https://mail.example/", "203.0.113.9", "USD"), null, T0);
        assertThat(s.attribution().touches()).isEqualTo(1);
        assertThat(s.attribution().last()).isEqualTo(s.attribution().first());
        assertThat(s.attribution().first()).isEqualTo(new Touch(T0, "/p?utm_source=news&gclid=g1", "https://mail.example/",
                new Touch.Utm("news", null, null, null, null), "g1"));

        Session back = new Change.RecordTouch("/sale?utm_source=ads&utm_medium=cpc&fbclid=f1", null).applyTo(s, T1);
        assertThat(back.version()).isEqualTo(2);
        assertThat(back.attribution().touches()).isEqualTo(2);
        assertThat(back.attribution().first()).isEqualTo(s.attribution().first());
        assertThat(back.attribution().last()).isEqualTo(new Touch(T1, "/sale?utm_source=ads&utm_medium=cpc&fbclid=f1", null,
                new Touch.Utm("ads", "cpc", null, null, null), "f1"));
        assertThat(back.logs()).extracting(LogEntry::entry).endsWith("Returned via /sale?utm_source=ads&utm_medium=cpc&fbclid=f1");
        assertThat(back.arrival().landing()).isEqualTo("/p?utm_source=news&gclid=g1");
    }

    @Test
    void aSessionIsEmptyUntilSomethingIsPutInIt() {
        assertThat(fresh().isEmpty()).isTrue();
        assertThat(new Change.RecordTouch("/again", null).applyTo(fresh(), T1).isEmpty()).isTrue();
        assertThat(new Change.RecordActivity("looked").applyTo(fresh(), T1).isEmpty()).isTrue();
        assertThat(new Change.SelectItem("A", "A", money("1"), 1).applyTo(fresh(), T1).isEmpty()).isFalse();
        assertThat(new Change.SignIn("ann").applyTo(fresh(), T1).isEmpty()).isFalse();
        assertThat(new Change.SetNote("n").applyTo(fresh(), T1).isEmpty()).isFalse();
        assertThat(new Change.ChangeAttributes(Map.of("a", ""), java.util.Set.of()).applyTo(fresh(), T1).isEmpty()).isFalse();
    }
}
