package com.redfour.shopping.session.write;

import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One queue per key: what arrives for a key while a batch for it is running waits, and is then run
 * as the next batch (at most {@code maxBatch} items), so that batches of one key never overlap.
 * Each lane also keeps a memo between its batches (the row its last batch wrote); a lane, memo
 * included, disappears as soon as nothing waits in it.
 *
 * @param <K> the key (a session)
 * @param <T> what waits (a request and whoever is waiting for its answer)
 * @param <M> the memo
 */
final class Lanes<K, T, M> {

    /** Runs one batch; answers the items it did not take, which run first in the lane's next batch. */
    @FunctionalInterface
    interface Runner<K, T, M> {
        /**
         * @return the items not taken; the runner must have answered every other item of the batch,
         *     and the returned Uni must not fail
         */
        Uni<List<T>> run(K key, List<T> batch, Memo<M> memo);
    }

    /** The memo of one lane, read and written only by the batch running in it. */
    interface Memo<M> {
        /** What the lane's previous batch left, or {@code null}. */
        M get();

        void set(M value);

        default void clear() {
            set(null);
        }
    }

    private static final class Lane<T, M> implements Memo<M> {
        private final List<T> waiting = new ArrayList<>();
        private M memo;

        @Override
        public M get() {
            return memo;
        }

        @Override
        public void set(M value) {
            memo = value;
        }
    }

    private final int maxBatch;
    private final Runner<K, T, M> runner;
    private final ConcurrentHashMap<K, Lane<T, M>> lanes = new ConcurrentHashMap<>();

    Lanes(int maxBatch, Runner<K, T, M> runner) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.runner = runner;
    }

    /** Queues {@code item} in its key's lane, starting a batch if none is running for the key. */
    void submit(K key, T item) {
        boolean[] idle = {false};
        Lane<T, M> lane = lanes.compute(key, (k, existing) -> {
            Lane<T, M> l = existing;
            if (l == null) {
                l = new Lane<>();
                idle[0] = true;
            }
            l.waiting.add(item);
            return l;
        });
        if (idle[0]) {
            drain(key, lane);
        }
    }

    /** How many lanes exist (each has a batch running). */
    int size() {
        return lanes.size();
    }

    private void drain(K key, Lane<T, M> lane) {
        List<T> batch = new ArrayList<>();
        lanes.compute(key, (k, l) -> {
            List<T> head = l.waiting.subList(0, Math.min(maxBatch, l.waiting.size()));
            batch.addAll(head);
            head.clear();
            return batch.isEmpty() ? null : l;
        });
        if (batch.isEmpty()) {
            return;
        }
        runner.run(key, batch, lane).subscribe().with(
                leftovers -> {
                    if (!leftovers.isEmpty()) {
                        lanes.compute(key, (k, l) -> {
                            l.waiting.addAll(0, leftovers);
                            return l;
                        });
                    }
                    drain(key, lane);
                },
                failure -> drain(key, lane));
    }
}
