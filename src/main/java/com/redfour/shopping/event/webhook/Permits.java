package com.redfour.shopping.event.webhook;

import io.smallrye.mutiny.Uni;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.function.Supplier;

/**
 * At most {@code size} operations under way at once; the others wait their turn, first come first
 * served, without holding a thread. The courier runs every statement but the pump's through it
 * ({@link CourierConnections}), so that its runs never take more than their share of the connection
 * pool that serves the changes.
 */
final class Permits {

    private final int size;
    private final Queue<Runnable> waiting = new ArrayDeque<>();
    private int inUse;

    Permits(int size) {
        this.size = Math.max(1, size);
    }

    /** Subscribes to {@code operation} once a permit is free; the permit is given back when it ends. */
    <T> Uni<T> run(Supplier<Uni<T>> operation) {
        return Uni.createFrom().emitter(emitter -> acquire(() -> {
            Uni<T> started;
            try {
                started = operation.get();
            } catch (RuntimeException e) {
                release();
                emitter.fail(e);
                return;
            }
            started.subscribe().with(item -> {
                release();
                emitter.complete(item);
            }, failure -> {
                release();
                emitter.fail(failure);
            });
        }));
    }

    private void acquire(Runnable start) {
        synchronized (this) {
            if (inUse >= size) {
                waiting.add(start);
                return;
            }
            inUse++;
        }
        start.run();
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                inUse--;
            }
        }
        if (next != null) {
            next.run(); // the permit passes to the next in line
        }
    }
}
