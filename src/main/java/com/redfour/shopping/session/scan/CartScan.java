package com.redfour.shopping.session.scan;

import com.redfour.shopping.db.Unavailability;
import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Timestamps;
import com.redfour.shopping.session.store.EventsCommitted;
import com.redfour.shopping.session.store.FactStatements;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.SessionTable;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reports abandoned carts ({@code session.abandoned}: open, with lines, unchanged for the abandon
 * threshold) and expired ones ({@code session.expired}: open, with lines, past their expiry) as events.
 *
 * <p>A run is one short transaction per kind. It first takes a transaction-level advisory lock, so that
 * one replica at a time scans (the others skip the run); it reads at most {@code batchSize} candidates
 * through the scan's partial index, oldest first; it marks them reported, each guarded by the version it
 * read (a change that commits meanwhile wins, and its session is not reported); and it records one event
 * for each session it marked, in the same transaction. Marking is the only write: the version does not
 * move and the document is not rewritten. The version guard alone keeps it to one event per idle
 * period even when two scans race (the lock only saves the work).
 */
@ApplicationScoped
public class CartScan {

    private static final Logger LOG = Logger.getLogger(CartScan.class);

    /** The advisory lock every replica's scan takes (an arbitrary constant of this service). */
    static final long LOCK = 0x5245_4434_5343_414EL; // "RED4SCAN"

    private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock($1)";

    // What SessionTable.live reads, without the log and the keys: an event's session summary needs neither.
    private static final String COLUMNS = "store, key, version, status, member_id, created_at, updated_at, "
            + "document::text, '[]'::text, NULL::text, 0";

    private static final String ABANDONED = "SELECT " + COLUMNS + """
             FROM session
            WHERE status = 'open' AND item_count > 0 AND abandoned_version IS DISTINCT FROM version
              AND updated_at <= $1 AND expires_at > $2
            ORDER BY updated_at
            LIMIT $3
            """;

    // The mark also makes the session's insights facts abandoned, with its total (V9, FactStatements).
    private static final String MARK_ABANDONED = """
            WITH m AS (UPDATE session s SET abandoned_version = s.version
              FROM unnest($1::text[], $2::text[], $3::bigint[], $4::numeric[]) AS d(store, key, version, value)
             WHERE s.store = d.store AND s.key = d.key AND s.version = d.version
               AND s.abandoned_version IS DISTINCT FROM s.version
            RETURNING s.key, s.store, s.created_at, d.value)""" + FactStatements.abandoned("m") + " SELECT key, store FROM m";

    private static final String EXPIRED = "SELECT " + COLUMNS + ", expires_at" + """
             FROM session
            WHERE status = 'open' AND item_count > 0 AND NOT expiry_reported
              AND expires_at <= $1
            ORDER BY expires_at
            LIMIT $2
            """;

    private static final String MARK_EXPIRED = """
            UPDATE session s SET expiry_reported = true
              FROM unnest($1::text[], $2::text[], $3::bigint[]) AS d(store, key, version)
             WHERE s.store = d.store AND s.key = d.key AND s.version = d.version
               AND NOT s.expiry_reported
            RETURNING s.key, s.store
            """;

    /** What one run reported; {@code ran} is false when another replica held the scan. */
    public record Result(int abandoned, int expired, boolean ran) {
    }

    /** What one transaction reported: how many, and in which stores (-1: another replica held the scan). */
    private record Reported(int count, java.util.Set<String> stores) {
        static final Reported SKIPPED = new Reported(-1, java.util.Set.of());
    }

    private final Pool pool;
    private final Clock clock;
    private final Duration abandonAfter;
    private final int batchSize;
    private final Event<EventsCommitted> committed;

    public CartScan(Pool pool, Clock clock, Event<EventsCommitted> committed,
            @ConfigProperty(name = "redfour.events.abandon-after", defaultValue = "PT1H") Duration abandonAfter,
            @ConfigProperty(name = "redfour.events.scan-batch-size", defaultValue = "200") int batchSize) {
        if (batchSize < 1 || batchSize > SessionTable.MAX_EVENTS_PER_TRANSACTION) {
            throw new IllegalArgumentException("redfour.events.scan-batch-size must be 1..1000 (events per transaction)");
        }
        if (abandonAfter.isNegative() || abandonAfter.isZero()) {
            throw new IllegalArgumentException("redfour.events.abandon-after must be positive");
        }
        this.pool = pool;
        this.clock = clock;
        this.abandonAfter = abandonAfter;
        this.batchSize = batchSize;
        this.committed = committed;
    }

    @Scheduled(identity = "cart-scan", every = "${redfour.events.scan-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = NotServing.class)
    Uni<Void> scheduled() {
        return run().invoke(result -> {
            if (result.abandoned() + result.expired() > 0) {
                LOG.debugf("cart scan reported %d abandoned and %d expired sessions", result.abandoned(), result.expired());
            }
        }).onFailure().invoke(failure -> LOG.warnf("cart scan failed: %s", failure.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * Skips the timer's runs unless the process serves: the {@code purge} and {@code migrate} commands
     * start the same application, and {@code migrate} must not be scanned against the old schema.
     */
    @jakarta.inject.Singleton
    public static class NotServing implements Scheduled.SkipPredicate {

        private volatile boolean serving;

        /** Called once the process is known to serve (no command). */
        public void serving() {
            serving = true;
        }

        @Override
        public boolean test(io.quarkus.scheduler.ScheduledExecution execution) {
            return !serving;
        }
    }

    /** One run: up to a batch of abandoned sessions, then up to a batch of expired ones. */
    public Uni<Result> run() {
        Instant now = clock.instant();
        return Unavailability.guarded(locked(tx -> reportAbandoned(tx, now))
                .flatMap(abandoned -> locked(tx -> reportExpired(tx, now))
                        .map(expired -> new Result(Math.max(abandoned.count(), 0), Math.max(expired.count(), 0),
                                abandoned.count() >= 0 && expired.count() >= 0))));
    }

    /**
     * Runs {@code work} in a transaction holding the scan's lock, and once it committed tells live
     * readers of the stores it recorded events for; skipped when another transaction holds the lock.
     */
    private Uni<Reported> locked(java.util.function.Function<SqlConnection, Uni<List<PendingEvent>>> work) {
        return pool.withTransaction(tx -> tx.preparedQuery(TRY_LOCK).execute(Tuple.of(LOCK))
                .flatMap(rows -> rows.iterator().next().getBoolean(0)
                        ? work.apply(tx).flatMap(events -> ScanEvents.insert(tx, events).replaceWith(events))
                                .map(CartScan::reported)
                        : Uni.createFrom().item(Reported.SKIPPED)))
                .invoke(reported -> reported.stores().forEach(store -> committed.fire(new EventsCommitted(store))));
    }

    private static Reported reported(List<PendingEvent> events) {
        java.util.Set<String> stores = new java.util.TreeSet<>();
        events.forEach(e -> stores.add(e.state().id().store()));
        return new Reported(events.size(), stores);
    }

    /** The events of up to a batch of abandoned sessions, marked reported in the transaction of {@code tx}. */
    Uni<List<PendingEvent>> reportAbandoned(SqlConnection tx, Instant now) {
        return tx.preparedQuery(ABANDONED)
                .execute(Tuple.of(SessionTable.utc(now.minus(abandonAfter)), SessionTable.utc(now), batchSize))
                .flatMap(rows -> {
                    List<Session> candidates = new ArrayList<>(rows.size());
                    rows.forEach(row -> candidates.add(SessionTable.live(row).session()));
                    return mark(tx, MARK_ABANDONED, candidates, true).map(marked -> marked.stream()
                            .map(s -> new PendingEvent(abandoned(s), s.version(), now, s))
                            .toList());
                });
    }

    /** The events of up to a batch of expired sessions, marked reported in the transaction of {@code tx}. */
    Uni<List<PendingEvent>> reportExpired(SqlConnection tx, Instant now) {
        return tx.preparedQuery(EXPIRED).execute(Tuple.of(SessionTable.utc(now), batchSize)).flatMap(rows -> {
            List<Session> candidates = new ArrayList<>(rows.size());
            Map<String, Instant> expiries = new java.util.HashMap<>();
            rows.forEach(row -> {
                Session s = SessionTable.live(row).session();
                candidates.add(s);
                expiries.put(s.id().key(), row.getOffsetDateTime(11).toInstant());
            });
            return mark(tx, MARK_EXPIRED, candidates, false).map(marked -> marked.stream()
                    .map(s -> new PendingEvent(expired(s, expiries.get(s.id().key())), s.version(), now, s))
                    .toList());
        });
    }

    /**
     * Marks the candidates still at the version read; answers those marked, in the candidates' order. With
     * {@code totals}, the statement also takes each candidate's total.
     */
    private static Uni<List<Session>> mark(SqlConnection tx, String statement, List<Session> candidates, boolean totals) {
        if (candidates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] stores = candidates.stream().map(s -> s.id().store()).toArray(String[]::new);
        String[] keys = candidates.stream().map(s -> s.id().key()).toArray(String[]::new);
        Long[] versions = candidates.stream().map(Session::version).toArray(Long[]::new);
        Tuple values = Tuple.of(stores, keys, versions);
        if (totals) {
            values.addValue(candidates.stream().map(s -> s.totals().total()).toArray(java.math.BigDecimal[]::new));
        }
        return tx.preparedQuery(statement).execute(values).map(rows -> {
            java.util.Set<String> marked = new java.util.HashSet<>();
            rows.forEach(row -> marked.add(row.getString(1) + "/" + row.getString(0)));
            return candidates.stream().filter(s -> marked.contains(s.id().store() + "/" + s.id().key())).toList();
        });
    }

    /** {@code session.abandoned}: since when the cart has been idle, and what it holds. */
    static Happened abandoned(Session s) {
        return Happened.of("session.abandoned", "idleSince", Timestamps.iso(s.updatedAt()),
                "itemCount", s.totals().itemCount(), "total", s.totals().total());
    }

    /** {@code session.expired}: when it expired, since when it had been idle, and what it held. */
    static Happened expired(Session s, Instant expiredAt) {
        return Happened.of("session.expired", "expiredAt", Timestamps.iso(expiredAt),
                "idleSince", Timestamps.iso(s.updatedAt()), "itemCount", s.totals().itemCount(),
                "total", s.totals().total());
    }
}
