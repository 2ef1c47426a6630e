package com.redfour.shopping.session;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A recovered cart folded into the shopper's current session (pure). */
class CartRecoveryTest {

    private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-24T10:00:00Z");
    private static final RecoveredFrom LINK = new RecoveredFrom(T1, "lnk-1", "abandoned-1h");

    private static Session session(String key, String currency) {
        return Session.create(new SessionId("demo", key), new Arrival("/", null, "203.0.113.9", currency), null, T0);
    }

    private static Session add(Session s, String sku, int quantity) {
        return new Change.SelectItem(sku, "Item " + sku, new BigDecimal("2.50"), quantity).applyTo(s, T0);
    }

    @Test
    void linesAreSummedAndCappedTheTargetsNoteAndAttributesWinAndBothMoveOneVersion() {
        Session source = add(add(session("abandoned-0123456789", "USD"), "RKT-1", 2), "RKT-2", 998);
        source = new Change.SetNote("old").applyTo(source, T0);
        source = new Change.ChangeAttributes(Map.of("channel", "mail", "gift", "yes"), java.util.Set.of()).applyTo(source, T0);
        Session into = add(session("phone-0123456789ab", "USD"), "RKT-2", 3);
        into = new Change.SetNote("new").applyTo(into, T0);
        into = new Change.ChangeAttributes(Map.of("channel", "app"), java.util.Set.of()).applyTo(into, T0);

        CartRecovery.Restored restored = CartRecovery.apply(into, source, LINK, 250, T1);

        Session target = restored.into();
        assertThat(target.version()).isEqualTo(into.version() + 1);
        assertThat(target.cart().lines()).extracting(LineItem::sku, LineItem::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("RKT-2", 999), org.assertj.core.groups.Tuple.tuple("RKT-1", 2));
        assertThat(target.note()).isEqualTo("new");
        assertThat(target.attributes()).isEqualTo(Map.of("channel", "app", "gift", "yes"));
        assertThat(target.recoveredFrom()).isEqualTo(LINK);
        assertThat(target.logs().get(target.logs().size() - 1).entry()).isEqualTo("Restored from a recovery link");
        assertThat(target.updatedAt()).isEqualTo(T1);
        assertThat(restored.lines()).isEqualTo(2);
        assertThat(restored.source().status()).isEqualTo(Status.MERGED);
        assertThat(restored.source().version()).isEqualTo(source.version() + 1);
        assertThat(restored.source().logs().get(restored.source().logs().size() - 1).entry())
                .isEqualTo("Merged into session phone-0123456789ab by recovery link lnk-1");
    }

    @Test
    void whatDoesNotFitIsDroppedAndLogged() {
        Session source = add(add(session("abandoned-0123456789", "USD"), "A", 1), "B", 1);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 19; i++) {
            many.put("k" + i, "v");
        }
        Session into = new Change.ChangeAttributes(many, java.util.Set.of()).applyTo(add(session("phone-0123456789ab", "USD"), "C", 1), T0);
        source = new Change.ChangeAttributes(Map.of("x1", "a", "x2", "b"), java.util.Set.of()).applyTo(source, T0);

        CartRecovery.Restored restored = CartRecovery.apply(into, source, LINK, 2, T1);

        assertThat(restored.into().cart().lines()).extracting(LineItem::sku).containsExactly("C", "A");
        assertThat(restored.lines()).isEqualTo(1);
        assertThat(restored.into().attributes()).hasSize(20).containsEntry("x1", "a").doesNotContainKey("x2");
        List<String> entries = restored.into().logs().stream().map(LogEntry::entry).toList();
        assertThat(entries).contains("Dropped 1 recovered lines past the limit of 2: B",
                "Dropped 1 recovered attributes past the limit of 20: x2");
    }

    @Test
    void aClosedTargetOrAnotherCurrencyIsRefused() {
        Session source = add(session("abandoned-0123456789", "USD"), "A", 1);
        Session closed = new Change.Close(null).applyTo(session("phone-0123456789ab", "USD"), T0);
        assertThatThrownBy(() -> CartRecovery.apply(closed, source, LINK, 250, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.CLOSED));
        assertThatThrownBy(() -> CartRecovery.apply(session("phone-0123456789ab", "EUR"), source, LINK, 250, T1))
                .isInstanceOfSatisfying(ChangeRejected.class, e -> {
                    assertThat(e.reason()).isEqualTo(ChangeRejected.Reason.INVALID);
                    assertThat(e.field()).contains("into");
                });
    }
}
