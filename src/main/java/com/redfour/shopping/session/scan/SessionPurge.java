package com.redfour.shopping.session.scan;

import com.redfour.shopping.db.Unavailability;
import com.redfour.shopping.session.store.SessionTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

/**
 * Deletes expired sessions (and the tombstones of deleted ones), then events past their retention, in
 * bounded batches, so that one run never holds many row locks or a long transaction. Run by the
 * {@code purge} command (a CronJob). An expired open session with lines is kept until the cart scan
 * has reported its expiry ({@code session.expired}), but no longer than the grace period after expiring.
 */
@ApplicationScoped
public class SessionPurge {

    private static final Logger LOG = Logger.getLogger(SessionPurge.class);

    // The oldest first is not needed: every event older than the cut-off goes, in any order. The BRIN
    // index on `at` finds them without reading the recent part of the table.
    private static final String PURGE_EVENTS = """
            DELETE FROM session_event
             WHERE ctid = ANY (ARRAY(SELECT ctid FROM session_event WHERE at < $1 LIMIT $2))
            """;

    private final SessionTable table;
    private final Pool pool;
    private final Clock clock;
    private final int batchSize;
    private final Duration retention;
    private final Duration expiryGrace;

    @Inject
    public SessionPurge(SessionTable table, Pool pool, Clock clock,
            @ConfigProperty(name = "redfour.purge.batch-size", defaultValue = "1000") int batchSize,
            @ConfigProperty(name = "redfour.events.retention", defaultValue = "P7D") Duration retention,
            @ConfigProperty(name = "redfour.events.expiry-grace", defaultValue = "P1D") Duration expiryGrace) {
        this.table = table;
        this.pool = pool;
        this.clock = clock;
        this.batchSize = batchSize;
        this.retention = retention;
        this.expiryGrace = expiryGrace;
    }

    /** What one purge did: sessions deleted and in how many statements, the same for events. */
    public record Result(long deleted, int batches, long eventsDeleted, int eventBatches) {
    }

    /** Deletes every session expired by now, then every event older than the retention period, {@code batchSize} rows per statement. */
    public Uni<Result> purge() {
        Instant now = clock.instant();
        return Unavailability.guarded(batches(size -> table.purgeExpired(now, size, now.minus(expiryGrace)), new Count(0, 0))
                .flatMap(sessions -> batches(size -> purgeEvents(now.minus(retention), size), new Count(0, 0))
                        .map(events -> new Result(sessions.rows(), sessions.batches(), events.rows(), events.batches()))));
    }

    private Uni<Integer> purgeEvents(Instant before, int size) {
        return pool.preparedQuery(PURGE_EVENTS).execute(Tuple.of(SessionTable.utc(before), size)).map(RowSet::rowCount);
    }

    private record Count(long rows, int batches) {
    }

    private Uni<Count> batches(Function<Integer, Uni<Integer>> batch, Count sofar) {
        return batch.apply(batchSize).flatMap(deleted -> {
            Count next = new Count(sofar.rows() + deleted, sofar.batches() + 1);
            LOG.debugf("purge batch %d deleted %d rows", next.batches(), deleted);
            return deleted < batchSize ? Uni.createFrom().item(next) : batches(batch, next);
        });
    }
}
