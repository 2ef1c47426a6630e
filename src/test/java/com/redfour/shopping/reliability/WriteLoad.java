package com.redfour.shopping.reliability;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Writers adding items to a few sessions as fast as the service answers, and the ledger of what
 * the service acknowledged. Each worker adds quantity 1 of its own sku (a new sku every
 * {@value #ADDS_PER_SKU} attempts), so the final quantity of every line in the database can be
 * compared with the adds acknowledged for it: a line holding fewer is a lost change.
 *
 * <p>A worker that gets a 503 or cannot connect waits {@value #BACKOFF_MILLIS} ms before its next
 * request, as a client honouring {@code Retry-After} would (that is pacing, not synchronisation).
 */
final class WriteLoad implements AutoCloseable {

    static final int ADDS_PER_SKU = 400;
    static final long BACKOFF_MILLIS = 100;
    private static final int MAX_ATTEMPTS_PER_WORKER = 12_000; // 30 skus per worker: lines stay under 100

    private final Api api;
    private final List<String> keys;
    private final int workers;
    private final ExecutorService pool;
    private final AtomicBoolean running = new AtomicBoolean();

    final LongAdder sent = new LongAdder();
    final LongAdder acknowledged = new LongAdder();
    final LongAdder unavailable = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder hung = new LongAdder();
    final LongAdder other = new LongAdder();
    final ConcurrentLinkedQueue<String> otherSamples = new ConcurrentLinkedQueue<>();
    final AtomicLong maxLatencyNanos = new AtomicLong();
    final AtomicLong maxUnavailableNanos = new AtomicLong();
    /** {@link System#nanoTime()} of the latest acknowledgement / 503, or 0. */
    final AtomicLong lastAcknowledgedAt = new AtomicLong();
    final AtomicLong lastUnavailableAt = new AtomicLong();
    private final Map<String, LongAdder> acknowledgedByLine = new ConcurrentHashMap<>();

    WriteLoad(Api api, List<String> keys, int workers) {
        this.api = api;
        this.keys = keys;
        this.workers = workers;
        this.pool = Executors.newFixedThreadPool(workers);
    }

    WriteLoad start() {
        running.set(true);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            pool.submit(() -> work(worker));
        }
        return this;
    }

    private void work(int worker) {
        String key = keys.get(worker % keys.size());
        for (int n = 0; running.get() && n < MAX_ATTEMPTS_PER_WORKER; n++) {
            String sku = "W" + worker + "-" + (n / ADDS_PER_SKU);
            String body = "{\"sku\":\"" + sku + "\",\"name\":\"Load item\",\"price\":1.25,\"quantity\":1}";
            sent.increment();
            try {
                Api.Reply reply = api.send("POST", Api.session(key) + "/items", body);
                maxLatencyNanos.accumulateAndGet(reply.nanos(), Math::max);
                if (reply.acknowledged()) {
                    acknowledged.increment();
                    acknowledgedByLine.computeIfAbsent(key + "|" + sku, k -> new LongAdder()).increment();
                    lastAcknowledgedAt.set(System.nanoTime());
                } else if (reply.unavailable()) {
                    unavailable.increment();
                    maxUnavailableNanos.accumulateAndGet(reply.nanos(), Math::max);
                    lastUnavailableAt.set(System.nanoTime());
                    backOff();
                } else {
                    other.increment();
                    if (otherSamples.size() < 10) {
                        otherSamples.add(reply.status() + " " + reply.headers().map() + " " + reply.body());
                    }
                }
            } catch (HttpTimeoutException e) {
                hung.increment();
            } catch (IOException e) {
                refused.increment();
                backOff();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void backOff() {
        PackagedService.pause(Duration.ofMillis(BACKOFF_MILLIS));
    }

    /** Stops the writers and waits for the requests in flight to be answered. */
    void stop() {
        running.set(false);
        pool.shutdown();
        try {
            if (!pool.awaitTermination(Api.HANG.toSeconds() * 2, TimeUnit.SECONDS)) {
                throw new IllegalStateException("load workers did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        pool.shutdownNow();
    }

    /** Polls {@code condition} until it holds, failing after {@code limit}. */
    static void await(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + limit + " waiting for " + what);
            }
            PackagedService.pause(Duration.ofMillis(20));
        }
    }

    /** What the database holds compared with what was acknowledged. */
    record Audit(long acknowledged, long lost, long appliedUnacknowledged, List<String> lostLines) {
    }

    /** Compares every acknowledged add with the quantities in the database itself. */
    Audit audit(FaultDatabase database) throws SQLException {
        Map<String, Long> stored = new HashMap<>();
        try (Connection c = database.connect();
                PreparedStatement q = c.prepareStatement("""
                        SELECT s.key, i->>'sku', (i->>'quantity')::bigint
                          FROM session s, jsonb_array_elements(s.document->'items') i
                         WHERE s.store = 'demo' AND s.key = ANY (?)""")) {
            q.setArray(1, c.createArrayOf("text", keys.toArray()));
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    stored.put(rows.getString(1) + "|" + rows.getString(2), rows.getLong(3));
                }
            }
        }
        long acked = 0;
        long lost = 0;
        long extra = 0;
        List<String> lostLines = new ArrayList<>();
        for (Map.Entry<String, LongAdder> line : acknowledgedByLine.entrySet()) {
            long want = line.getValue().sum();
            long have = stored.getOrDefault(line.getKey(), 0L);
            acked += want;
            if (have < want) {
                lost += want - have;
                lostLines.add(line.getKey() + " acknowledged " + want + " stored " + have);
            } else {
                extra += have - want;
            }
        }
        return new Audit(acked, lost, extra, lostLines);
    }

    /** Acknowledged adds missing from {@code stored} ({@code key|sku} to quantity). */
    long lost(Map<String, Long> stored) {
        long lost = 0;
        for (Map.Entry<String, LongAdder> line : acknowledgedByLine.entrySet()) {
            lost += Math.max(0, line.getValue().sum() - stored.getOrDefault(line.getKey(), 0L));
        }
        return lost;
    }

    String counts() {
        return "sent=" + sent.sum() + " acknowledged=" + acknowledged.sum() + " unavailable503=" + unavailable.sum()
                + " refused=" + refused.sum() + " hung=" + hung.sum() + " other=" + other.sum()
                + " maxLatencyMs=" + maxLatencyNanos.get() / 1_000_000;
    }
}
