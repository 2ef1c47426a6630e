package com.redfour.shopping.insight.store;

import com.redfour.shopping.session.scan.CartScan;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Folds the insights deltas (V9) into the per-day figures: one transaction deletes up to a batch of the
 * oldest deltas and adds them to {@code insight_day}, once for each touch and dimension. A reader sums
 * the figures and the deltas in one statement, so it sees a delta either still unfolded or folded, never
 * both or neither: folding changes how much a read has to sum, never what it answers. One replica at a
 * time folds (a transaction-level advisory lock; the others skip the run); only a serving process folds
 * (the gate of the cart scan).
 */
@ApplicationScoped
public class InsightFold {

    private static final Logger LOG = Logger.getLogger(InsightFold.class);

    /** The advisory lock every replica's fold takes (an arbitrary constant of this service). */
    static final long LOCK = 0x5245_4434_464f_4c44L; // "RED4FOLD"

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";

    private static final String KEYS = Stream.of("first", "last")
            .flatMap(touch -> Stream.of("source", "medium", "campaign", "referrer", "landing")
                    .map(d -> "('" + touch + "', '" + d + "', d." + touch + "_" + d + ")"))
            .collect(Collectors.joining(", "));

    private static final String FOLD = "WITH d AS (DELETE FROM insight_delta WHERE id = ANY (ARRAY("
            + "SELECT id FROM insight_delta ORDER BY id LIMIT $1)) RETURNING *),"
            + " x AS (SELECT d.store, t.touch, t.dimension, d.day, t.key, d.currency, sum(d.sessions) AS sessions,"
            + " sum(d.with_items) AS with_items, sum(d.converted) AS converted, sum(d.abandoned) AS abandoned,"
            + " sum(d.lost) AS lost, sum(d.recovered) AS recovered, sum(d.revenue) AS revenue,"
            + " sum(d.abandoned_value) AS abandoned_value"
            + " FROM d CROSS JOIN LATERAL (VALUES " + KEYS + ") AS t(touch, dimension, key)"
            + " GROUP BY 1, 2, 3, 4, 5, 6),"
            + " i AS (INSERT INTO insight_day AS o SELECT * FROM x ORDER BY 1, 2, 3, 4, 5, 6"
            + " ON CONFLICT (store, touch, dimension, day, key, currency) DO UPDATE"
            + " SET sessions = o.sessions + EXCLUDED.sessions, with_items = o.with_items + EXCLUDED.with_items,"
            + " converted = o.converted + EXCLUDED.converted, abandoned = o.abandoned + EXCLUDED.abandoned,"
            + " lost = o.lost + EXCLUDED.lost, recovered = o.recovered + EXCLUDED.recovered,"
            + " revenue = o.revenue + EXCLUDED.revenue, abandoned_value = o.abandoned_value + EXCLUDED.abandoned_value)"
            + " SELECT count(*) FROM d";

    private final Pool pool;
    private final int batchSize;

    InsightFold(Pool pool, @ConfigProperty(name = "redfour.insights.fold-batch-size", defaultValue = "5000") int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("redfour.insights.fold-batch-size must be positive");
        }
        this.pool = pool;
        this.batchSize = batchSize;
    }

    @Scheduled(identity = "insight-fold", every = "${redfour.insights.fold-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = CartScan.NotServing.class)
    Uni<Void> scheduled() {
        return foldAll().invoke(folded -> {
            if (folded > 0) {
                LOG.debugf("insights fold moved %d deltas", folded);
            }
        }).onFailure().invoke(failure -> LOG.warnf("insights fold failed: %s", failure.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Folds batches until fewer than a batch remain (or another replica holds the fold); answers how many deltas. */
    public Uni<Long> foldAll() {
        return fold().flatMap(folded -> folded < batchSize ? Uni.createFrom().item((long) Math.max(folded, 0))
                : foldAll().map(more -> folded + more));
    }

    /** One batch, in one transaction; -1 when another replica holds the fold. */
    public Uni<Integer> fold() {
        return pool.withTransaction(tx -> tx.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK))
                .flatMap(rows -> rows.iterator().next().getBoolean(0)
                        ? tx.preparedQuery(FOLD).execute(Tuple.of(batchSize)).map(r -> r.iterator().next().getLong(0).intValue())
                        : Uni.createFrom().item(-1)));
    }
}
