package com.redfour.shopping.session.write;

import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.EventsCommitted;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SourceWrite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static com.redfour.shopping.session.write.FoldTest.ID;
import static com.redfour.shopping.session.write.FoldTest.T0;
import static com.redfour.shopping.session.write.FoldTest.change;
import static com.redfour.shopping.session.write.FoldTest.delete;
import static com.redfour.shopping.session.write.FoldTest.live;
import static com.redfour.shopping.session.write.FoldTest.open;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The write pipeline below HTTP and the database: rows in a map that can be told to lose version
 * checks and to hold a load back (so that requests queue behind it), and a seeded retry.
 */
class WritePipelineTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MapRows rows = new MapRows();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final List<EventsCommitted> committed = new CopyOnWriteArrayList<>();

    private WritePipeline pipeline(int maxAttempts) {
        return new WritePipeline(rows, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC),
                new Retry(maxAttempts, Duration.ofMillis(2), new SplittableRandom(24)), true, new WriteMetrics(registry),
                committed::add);
    }

    private double counter(String name) {
        return registry.counter(name).count();
    }

    @Test
    void aLostVersionCheckIsDecidedAgainOnTheFreshRow() {
        rows.put(live());
        rows.losing.set(2);
        Outcome outcome = pipeline(8).write(change(new Change.RecordActivity("viewed"))).await().atMost(WAIT);

        assertThat(outcome).isInstanceOfSatisfying(Outcome.Changed.class,
                changed -> assertThat(changed.session().version()).isEqualTo(live().session().version() + 1));
        assertThat(rows.loads.get()).isEqualTo(3);
        assertThat(rows.saves.get()).isEqualTo(3);
        assertThat(counter("redfour.session.version.conflicts")).isEqualTo(2);
        assertThat(committed).containsExactly(new EventsCommitted("demo"));
    }

    @Test
    void whenEveryAttemptLosesTheAnswerIsAVersionConflictAndNothingIsWritten() {
        rows.put(live());
        rows.losing.set(Integer.MAX_VALUE);
        Outcome outcome = pipeline(3).write(change(new Change.RecordActivity("viewed"))).await().atMost(WAIT);

        assertThat(outcome).isInstanceOf(Outcome.VersionConflict.class);
        assertThat(rows.saves.get()).isEqualTo(3);
        assertThat(counter("redfour.session.retries.exhausted")).isEqualTo(1);
        assertThat(rows.get(ID)).isEqualTo(live());
        assertThat(committed).isEmpty();
    }

    @Test
    void deletesAndMergesRunOutOfAttemptsLikeChangesAndAreCounted() {
        rows.put(live());
        rows.losing.set(Integer.MAX_VALUE);
        WritePipeline pipeline = pipeline(2);
        WriteRequest merge = new WriteRequest(ID, new Write.SignInAndMerge("ann"), Precondition.NONE, null);

        assertThat(pipeline.write(delete()).await().atMost(WAIT)).isInstanceOf(Outcome.VersionConflict.class);
        assertThat(pipeline.write(merge).await().atMost(WAIT)).isInstanceOf(Outcome.VersionConflict.class);
        assertThat(rows.saves.get()).isEqualTo(4);
        assertThat(counter("redfour.session.version.conflicts")).isEqualTo(4);
        assertThat(counter("redfour.session.retries.exhausted")).isEqualTo(2);
        assertThat(rows.get(ID)).isEqualTo(live());
        assertThat(committed).isEmpty();
    }

    @Test
    void requestsThatQueuedBehindABatchAreFoldedIntoOneWriteOnTheRowItLeft() {
        rows.put(live());
        CompletableFuture<Void> held = rows.hold();
        WritePipeline pipeline = pipeline(8);
        CompletableFuture<Outcome> first = pipeline.write(change(new Change.RecordActivity("one"))).subscribeAsCompletionStage();
        List<CompletableFuture<Outcome>> queued = List.of(
                pipeline.write(change(new Change.RecordActivity("two"))).subscribeAsCompletionStage(),
                pipeline.write(change(new Change.RecordActivity("three"))).subscribeAsCompletionStage());
        held.complete(null);

        long start = live().session().version();
        assertThat(((Outcome.Changed) first.join()).session().version()).isEqualTo(start + 1);
        assertThat(queued).extracting(q -> ((Outcome.Changed) q.join()).session().version()).containsExactly(start + 2, start + 3);
        assertThat(rows.loads.get()).as("the second batch starts from the row the first wrote").isEqualTo(1);
        assertThat(rows.saves.get()).as("one write per batch").isEqualTo(2);
        assertThat(counter("redfour.session.changes.written")).isEqualTo(3);
    }

    @Test
    void whatTheFoldDidNotTakeRunsAsTheNextBatch() {
        CompletableFuture<Void> held = rows.hold();
        WritePipeline pipeline = pipeline(8);
        CompletableFuture<Outcome> created = pipeline.write(open()).subscribeAsCompletionStage();
        List<CompletableFuture<Outcome>> queued = List.of(
                pipeline.write(delete()).subscribeAsCompletionStage(),
                pipeline.write(open()).subscribeAsCompletionStage(),
                pipeline.write(change(new Change.RecordActivity("back again"))).subscribeAsCompletionStage());
        held.complete(null);

        assertThat(created.join()).isInstanceOf(Outcome.Created.class);
        assertThat(queued.get(0).join()).isInstanceOf(Outcome.Deleted.class);
        assertThat(queued.get(1).join()).as("a create after a delete is a batch of its own").isInstanceOf(Outcome.Created.class);
        assertThat(queued.get(2).join()).isInstanceOfSatisfying(Outcome.Changed.class,
                changed -> assertThat(changed.session().logs()).extracting(e -> e.entry()).containsExactly("Session created", "back again"));
        assertThat(rows.saves.get()).isEqualTo(3);
        assertThat(rows.loads.get()).isEqualTo(1);
    }

    @Test
    void aRememberedRowThatLeadsToNoWriteIsReadAgain() {
        rows.put(live());
        CompletableFuture<Void> held = rows.hold();
        WritePipeline pipeline = pipeline(8);
        CompletableFuture<Outcome> first = pipeline.write(change(new Change.RecordActivity("one"))).subscribeAsCompletionStage();
        // another replica deletes the session meanwhile, so this lane's memory of the row is stale; clearing a
        // note the remembered row does not have would write nothing, and nothing would notice
        CompletableFuture<Outcome> second = pipeline.write(change(new Change.ClearNote())).subscribeAsCompletionStage();
        rows.afterSave = () -> rows.put(ID, Row.Gone.deleted(99, List.of()));
        held.complete(null);

        assertThat(first.join()).isInstanceOf(Outcome.Changed.class);
        assertThat(second.join()).as("decided on the row as the table has it").isInstanceOf(Outcome.NotFound.class);
        assertThat(rows.loads.get()).isEqualTo(2);
    }

    /** Session rows in a map, version-checked like the table's; it can lose checks and hold a load back. */
    static final class MapRows implements Rows {
        final Map<SessionId, Row> rows = new ConcurrentHashMap<>();
        final AtomicInteger loads = new AtomicInteger();
        final AtomicInteger saves = new AtomicInteger();
        final AtomicInteger losing = new AtomicInteger();
        volatile CompletableFuture<Void> held = CompletableFuture.completedFuture(null);
        volatile Runnable afterSave = () -> {
        };

        void put(Row.Live row) {
            put(row.session().id(), row);
        }

        void put(SessionId id, Row row) {
            rows.put(id, row);
        }

        Row get(SessionId id) {
            return rows.getOrDefault(id, Row.ABSENT);
        }

        /** Holds the next loads back until the answer is completed. */
        CompletableFuture<Void> hold() {
            held = new CompletableFuture<>();
            return held;
        }

        @Override
        public Uni<Row> load(SessionId id, Instant now) {
            loads.incrementAndGet();
            return Uni.createFrom().completionStage(held).map(ignored -> get(id));
        }

        @Override
        public Uni<List<Row.Live>> openSessionsOf(String store, String memberId, Instant now, int limit) {
            return Uni.createFrom().item(List.of());
        }

        @Override
        public Uni<Optional<RecoveryLink>> link(String store, String tokenHash) {
            return Uni.createFrom().item(Optional.empty());
        }

        @Override
        public Uni<Boolean> save(Row loaded, Row next, Optional<SourceWrite> source, List<PendingEvent> events, Instant now) {
            saves.incrementAndGet();
            SessionId id = ID; // every test writes this one session
            if (losing.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0 || version(get(id)) != version(loaded)) {
                return Uni.createFrom().item(false);
            }
            put(id, next);
            afterSave.run();
            return Uni.createFrom().item(true);
        }

        private static long version(Row row) {
            return row instanceof Row.Live live ? live.session().version()
                    : row instanceof Row.Gone gone ? gone.version() : Row.NO_VERSION;
        }
    }
}
