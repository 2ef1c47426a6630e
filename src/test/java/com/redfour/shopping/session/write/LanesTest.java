package com.redfour.shopping.session.write;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-key queue: batching, order, leftovers, the memo and its lifetime (no Quarkus, no database). */
class LanesTest {

    /** A runner whose batches finish when the test says, each with the leftovers the test chooses. */
    private static final class Runner implements Lanes.Runner<String, String, String> {
        final List<List<String>> batches = new ArrayList<>();
        final List<String> memosSeen = new ArrayList<>();
        final List<UniEmitter<? super List<String>>> running = new ArrayList<>();
        final List<Lanes.Memo<String>> memos = new ArrayList<>();

        @Override
        public Uni<List<String>> run(String key, List<String> batch, Lanes.Memo<String> memo) {
            batches.add(List.copyOf(batch));
            memosSeen.add(memo.get());
            memos.add(memo);
            return Uni.createFrom().emitter(running::add);
        }

        void finish(int batch, List<String> leftovers) {
            running.get(batch).complete(leftovers);
        }
    }

    @Test
    void whatArrivesWhileABatchRunsIsTheNextBatchInOrder() {
        Runner runner = new Runner();
        Lanes<String, String, String> lanes = new Lanes<>(128, runner);

        lanes.submit("s", "a");
        lanes.submit("s", "b");
        lanes.submit("s", "c");
        assertThat(runner.batches).containsExactly(List.of("a"));

        runner.finish(0, List.of());
        assertThat(runner.batches).containsExactly(List.of("a"), List.of("b", "c"));
    }

    @Test
    void batchesAreBoundedByMaxBatch() {
        Runner runner = new Runner();
        Lanes<String, String, String> lanes = new Lanes<>(2, runner);

        for (String item : List.of("a", "b", "c", "d", "e")) {
            lanes.submit("s", item);
        }
        runner.finish(0, List.of());
        runner.finish(1, List.of());
        assertThat(runner.batches).containsExactly(List.of("a"), List.of("b", "c"), List.of("d", "e"));
    }

    @Test
    void leftoversRunFirstInTheNextBatch() {
        Runner runner = new Runner();
        Lanes<String, String, String> lanes = new Lanes<>(128, runner);

        lanes.submit("s", "a");
        lanes.submit("s", "b");
        lanes.submit("s", "c");
        runner.finish(0, List.of());
        lanes.submit("s", "d");
        runner.finish(1, List.of("c"));
        assertThat(runner.batches).containsExactly(List.of("a"), List.of("b", "c"), List.of("c", "d"));
    }

    @Test
    void keysDoNotWaitForEachOther() {
        Runner runner = new Runner();
        Lanes<String, String, String> lanes = new Lanes<>(128, runner);

        lanes.submit("s", "a");
        lanes.submit("t", "b");
        assertThat(runner.batches).containsExactly(List.of("a"), List.of("b"));
        assertThat(lanes.size()).isEqualTo(2);
    }

    @Test
    void theMemoIsKeptBetweenBatchesAndGoesWithTheLaneWhenNothingWaits() {
        Runner runner = new Runner();
        Lanes<String, String, String> lanes = new Lanes<>(128, runner);

        lanes.submit("s", "a");
        lanes.submit("s", "b");
        runner.memos.get(0).set("after a");
        runner.finish(0, List.of());
        assertThat(runner.memosSeen).containsExactly(null, "after a");

        runner.finish(1, List.of());
        assertThat(lanes.size()).isZero();
        lanes.submit("s", "c");
        assertThat(runner.memosSeen).containsExactly(null, "after a", null);
    }

    @Test
    void aFailedBatchDoesNotStopTheLane() {
        Runner runner = new Runner();
        Lanes<String, String, String> lanes = new Lanes<>(128, runner);

        lanes.submit("s", "a");
        lanes.submit("s", "b");
        runner.running.get(0).fail(new IllegalStateException("boom"));
        assertThat(runner.batches).containsExactly(List.of("a"), List.of("b"));
    }
}
