package com.redfour.shopping.session.store;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;

/**
 * Deletes expired sessions (and the tombstones of deleted ones) in bounded batches, so that one run
 * never holds many row locks or a long transaction. Run by the {@code purge} command (a CronJob).
 */
@ApplicationScoped
public class SessionPurge {

    private static final Logger LOG = Logger.getLogger(SessionPurge.class);

    private final SessionTable table;
    private final Clock clock;
    private final int batchSize;

    public SessionPurge(SessionTable table, Clock clock,
            @ConfigProperty(name = "redfour.purge.batch-size", defaultValue = "1000") int batchSize) {
        this.table = table;
        this.clock = clock;
        this.batchSize = batchSize;
    }

    /** What one purge did. */
    public record Result(long deleted, int batches) {
    }

    /** Deletes every session expired by now, {@code batchSize} rows per statement. */
    public Uni<Result> purge() {
        return Sessions.guarded(purge(clock.instant(), batchSize, new Result(0, 0)));
    }

    private Uni<Result> purge(Instant now, int size, Result sofar) {
        return table.purgeExpired(now, size).flatMap(deleted -> {
            Result next = new Result(sofar.deleted() + deleted, sofar.batches() + 1);
            LOG.debugf("purge batch %d deleted %d expired sessions", next.batches(), deleted);
            return deleted < size ? Uni.createFrom().item(next) : purge(now, size, next);
        });
    }
}
