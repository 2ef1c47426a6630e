package com.redfour.shopping.session.write;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.Status;
import com.redfour.shopping.session.Warning;
import com.redfour.shopping.session.store.AppliedKey;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SourceWrite;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The batch fold and the screen: pure functions of a row and requests (no Quarkus, no database). */
class FoldTest {

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00.123Z");
    static final Instant T1 = T0.plusSeconds(5);
    static final SessionId ID = new SessionId("demo", "k7Qm2v9XcL0pRt4sWz");
    static final SessionId OTHER = new SessionId("demo", "otherSession0000001");
    static final Arrival ARRIVAL = new Arrival("/", null, "203.0.113.9", "USD");

    static Row.Live live() {
        return Row.Live.of(Session.create(ID, ARRIVAL, null, T0));
    }

    static WriteRequest change(Change change) {
        return new WriteRequest(ID, new Write.Apply(change), Precondition.NONE, null);
    }

    static WriteRequest keyed(Change change, String key, String fingerprint) {
        return new WriteRequest(ID, new Write.Apply(change), Precondition.NONE, new Idempotency(key, fingerprint));
    }

    static WriteRequest select(String sku) {
        return change(new Change.SelectItem(sku, "Item " + sku, new BigDecimal("1.00"), 1));
    }

    static WriteRequest open() {
        return new WriteRequest(ID, new Write.Open(ARRIVAL, null), Precondition.NONE, null);
    }

    static WriteRequest delete() {
        return new WriteRequest(ID, new Write.Delete(), Precondition.NONE, null);
    }

    static Fold.Folded fold(Row row, WriteRequest... batch) {
        return Fold.fold(row, List.of(batch), OtherSession.NONE, T1);
    }

    @Test
    void aBatchOfChangesIsOneWriteThatMovesTheVersionOncePerChange() {
        Fold.Folded folded = fold(live(), select("A"), select("B"), select("C"));

        assertThat(folded.taken()).isEqualTo(3);
        assertThat(folded.changes()).isEqualTo(3);
        assertThat(folded.writes()).isTrue();
        assertThat(folded.outcomes()).extracting(o -> ((Outcome.Changed) o).session().version()).containsExactly(2L, 3L, 4L);
        Session last = folded.last().current().orElseThrow();
        assertThat(last.version()).isEqualTo(4);
        assertThat(last.cart().lines()).hasSize(3);
    }

    @Test
    void aKeyIsRememberedWithItsOutcomeAndARepeatInTheSameBatchIsReplayedNotApplied() {
        WriteRequest first = keyed(new Change.RecordActivity("viewed"), "k-1", "f-1");
        Fold.Folded folded = fold(live(), first, first);

        assertThat(folded.changes()).isEqualTo(1);
        assertThat(folded.last().keys()).containsExactly(new AppliedKey("k-1", "f-1", AppliedKey.Kind.CHANGED, T1));
        Session last = folded.last().current().orElseThrow();
        assertThat(folded.outcomes().get(1)).isEqualTo(new Outcome.Replayed(AppliedKey.Kind.CHANGED, last));
        assertThat(last.logs()).extracting(LogEntry::entry).containsExactly("Session created", "viewed");
    }

    @Test
    void aKeyReusedForADifferentRequestIsRefusedAndChangesNothing() {
        Row row = live().remembering(new AppliedKey("k-1", "f-1", AppliedKey.Kind.CHANGED, T0));
        Fold.Folded folded = fold(row, keyed(new Change.RecordActivity("other"), "k-1", "f-2"));

        assertThat(folded.outcomes()).containsExactly(new Outcome.KeyReused());
        assertThat(folded.writes()).isFalse();
    }

    @Test
    void aKeyIsForgottenAfter24Hours() {
        Row row = live().remembering(new AppliedKey("k-1", "f-1", AppliedKey.Kind.CHANGED, T1.minus(Row.KEY_LIFETIME)));
        Fold.Folded folded = fold(row, keyed(new Change.RecordActivity("again"), "k-1", "f-1"));

        assertThat(folded.outcomes().get(0)).isInstanceOf(Outcome.Changed.class);
        assertThat(folded.last().keys()).containsExactly(new AppliedKey("k-1", "f-1", AppliedKey.Kind.CHANGED, T1));
    }

    @Test
    void ifMatchIsCheckedAgainstTheRowAsTheBatchLeftIt() {
        WriteRequest atVersionOne = new WriteRequest(ID, new Write.Apply(new Change.RecordActivity("late")),
                Precondition.oneOf(Set.of(1L)), null);
        Fold.Folded folded = fold(live(), select("A"), atVersionOne, select("B"));

        assertThat(folded.outcomes().get(1)).isEqualTo(new Outcome.PreconditionFailed(2L));
        assertThat(folded.changes()).isEqualTo(2);
        assertThat(folded.last().current().orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void aRefusalThatIsAuditedIsWrittenButItsKeyIsNotRemembered() {
        WriteRequest negative = keyed(new Change.SelectItem("A", "A", new BigDecimal("-1.00"), 1), "k-1", "f-1");
        Fold.Folded folded = fold(live(), negative);

        assertThat(folded.outcomes().get(0)).isInstanceOfSatisfying(Outcome.Rejected.class,
                r -> assertThat(r.reason().reason()).isEqualTo(ChangeRejected.Reason.INVALID));
        assertThat(folded.writes()).isTrue();
        assertThat(folded.last().keys()).isEmpty();
        assertThat(folded.last().current().orElseThrow().logs()).extracting(LogEntry::entry)
                .endsWith("Rejected A: negative price");
    }

    @Test
    void openCreatesOnAnAbsentRowAndFindsALiveOne() {
        Fold.Folded created = fold(Row.ABSENT, open());
        assertThat(created.outcomes().get(0)).isInstanceOf(Outcome.Created.class);
        assertThat(created.writes()).isTrue();

        Fold.Folded found = fold(live(), open());
        assertThat(found.outcomes().get(0)).isInstanceOf(Outcome.Found.class);
        assertThat(found.writes()).isFalse();
    }

    @Test
    void openWithIfMatchOnlyFinds() {
        WriteRequest ifMatch = new WriteRequest(ID, new Write.Open(ARRIVAL, null), Precondition.ANY, null);
        assertThat(fold(Row.ABSENT, ifMatch).outcomes()).containsExactly(new Outcome.PreconditionFailed(null));
    }

    @Test
    void changesToNoSessionAreNotFound() {
        assertThat(fold(Row.ABSENT, select("A")).outcomes()).containsExactly(new Outcome.NotFound());
        assertThat(fold(Row.Gone.deleted(7, List.of()), delete()).outcomes()).containsExactly(new Outcome.NotFound());
    }

    @Test
    void changesToAnExpiredSessionAreExpiredButACreateOverItCreates() {
        Row expired = new Row.Gone(7, List.of(), true);
        assertThat(fold(expired, select("A")).outcomes()).containsExactly(new Outcome.Expired());
        assertThat(fold(expired, delete()).outcomes()).containsExactly(new Outcome.Expired());
        assertThat(fold(expired, open()).outcomes().get(0)).isInstanceOf(Outcome.Created.class);
    }

    @Test
    void aCreateAndTheChangesAfterItAreOneWriteButADeleteAfterThemWaitsForTheNextBatch() {
        Fold.Folded folded = fold(Row.ABSENT, open(), select("A"), delete(), select("B"));

        assertThat(folded.taken()).isEqualTo(2);
        assertThat(folded.last()).isInstanceOf(Row.Live.class);
        assertThat(folded.last().current().orElseThrow().version()).isEqualTo(2);
    }

    @Test
    void aDeleteAndARecreateAfterItAreTwoWrites() {
        Fold.Folded folded = fold(live(), delete(), open());

        assertThat(folded.taken()).isEqualTo(1);
        assertThat(folded.last()).isEqualTo(Row.Gone.deleted(2, List.of()));
        assertThat(folded.outcomes()).containsExactly(new Outcome.Deleted());
    }

    @Test
    void aRepeatedDeleteIsReplayedFromTheTombstone() {
        WriteRequest keyedDelete = new WriteRequest(ID, new Write.Delete(), Precondition.NONE, new Idempotency("d-1", "f"));
        Fold.Folded deleted = fold(live(), keyedDelete);
        Fold.Folded again = fold(deleted.last(), keyedDelete);

        assertThat(again.outcomes()).containsExactly(new Outcome.Replayed(AppliedKey.Kind.DELETED, null));
        assertThat(again.writes()).isFalse();
    }

    @Test
    void aMergeRunsAloneAndWritesTheOtherSessionToo() {
        Session other = new Change.SelectItem("B", "B", new BigDecimal("2.00"), 1)
                .applyTo(Session.create(OTHER, ARRIVAL, "ann", T0), T0);
        WriteRequest merge = new WriteRequest(ID, new Write.SignInAndMerge("ann"), Precondition.NONE, null);

        Fold.Folded folded = Fold.fold(live(), List.of(merge, select("A")), new OtherSession.MembersCart(Optional.of(Row.Live.of(other))), T1);

        assertThat(folded.taken()).isEqualTo(1);
        SourceWrite source = folded.source().orElseThrow();
        assertThat(source.after().session().status()).isEqualTo(Status.MERGED);
        assertThat(folded.last().current().orElseThrow().cart().line("B", java.util.Map.of())).isPresent();

        Fold.Folded behind = fold(live(), select("A"), merge);
        assertThat(behind.taken()).isEqualTo(1);
        assertThat(behind.source()).isEmpty();
    }

    @Test
    void eachRequestOfABatchCarriesOnlyItsOwnWarningsAndAReplayNone() {
        WriteRequest cheap = change(new Change.SelectItem("A", "A", new BigDecimal("1.00"), 1));
        WriteRequest dearer = keyed(new Change.SelectItem("A", "A", new BigDecimal("2.50"), 1), "k-price", "f");
        WriteRequest same = change(new Change.SelectItem("A", "A", new BigDecimal("2.50"), 1));

        Fold.Folded folded = fold(live(), cheap, dearer, same, dearer);

        assertThat(folded.outcomes()).hasSize(4);
        assertThat(((Outcome.Changed) folded.outcomes().get(0)).warnings()).isEmpty();
        assertThat(((Outcome.Changed) folded.outcomes().get(1)).warnings()).containsExactly(
                new Warning.PriceChanged("l1", "A", new BigDecimal("1.00"), new BigDecimal("2.50")));
        assertThat(((Outcome.Changed) folded.outcomes().get(2)).warnings()).isEmpty();
        assertThat(folded.outcomes().get(3)).isInstanceOf(Outcome.Replayed.class);
        assertThat(folded.last().current().orElseThrow().logs()).extracting(LogEntry::entry)
                .containsOnlyOnce("Price of A changed from 1.00 to 2.50");
    }

    @Test
    void aChangeThatChangesNothingWritesNothing() {
        Row row = fold(live(), change(new Change.ApplyDiscount(
                new com.redfour.shopping.session.Discount.PercentOff("SAVE10", BigDecimal.TEN)))).last();
        Fold.Folded again = fold(row, change(new Change.ApplyDiscount(
                new com.redfour.shopping.session.Discount.PercentOff("SAVE10", BigDecimal.TEN))));

        assertThat(again.writes()).isFalse();
        assertThat(again.outcomes().get(0)).isEqualTo(new Outcome.Changed(row.current().orElseThrow()));
    }
}
