package com.redfour.shopping.insight.store;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Deletes the insights of sessions created before the retention period (by day, UTC): their facts, the
 * unfolded deltas of those days and their folded figures, in bounded batches and in that order (with the
 * facts gone, no change can add a delta for those days again). Run by the {@code purge}
 * command after the sessions' purge; the sessions themselves may be long gone.
 */
@ApplicationScoped
public class InsightPurge {

    private static final List<String> TABLES = List.of("session_fact", "insight_delta", "insight_day");

    private final Pool pool;
    private final Clock clock;
    private final Duration retention;
    private final int batchSize;

    InsightPurge(Pool pool, Clock clock,
            @ConfigProperty(name = "redfour.insights.retention", defaultValue = "P400D") Duration retention,
            @ConfigProperty(name = "redfour.purge.batch-size", defaultValue = "1000") int batchSize) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("redfour.insights.retention must be positive");
        }
        this.pool = pool;
        this.clock = clock;
        this.retention = retention;
        this.batchSize = batchSize;
    }

    /** The first day whose insights are kept. */
    public LocalDate firstKeptDay() {
        return clock.instant().minus(retention).atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** Deletes every row of the days before {@link #firstKeptDay}; answers how many rows. */
    public Uni<Long> purge() {
        LocalDate before = firstKeptDay();
        Uni<Long> deleted = Uni.createFrom().item(0L);
        for (String table : TABLES) {
            deleted = deleted.flatMap(sofar -> batches(table, before).map(n -> sofar + n));
        }
        return deleted;
    }

    private Uni<Long> batches(String table, LocalDate before) {
        String sql = "DELETE FROM " + table + " WHERE ctid = ANY (ARRAY(SELECT ctid FROM " + table
                + " WHERE day < $1 LIMIT $2))";
        return pool.preparedQuery(sql).execute(Tuple.of(before, batchSize)).map(RowSet::rowCount)
                .flatMap(n -> n < batchSize ? Uni.createFrom().item((long) n) : batches(table, before).map(more -> more + n));
    }
}
