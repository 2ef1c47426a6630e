package com.redfour.shopping.session.store;

import com.redfour.shopping.session.CartMerge;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.Visit;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Every change to a session goes through here: load, apply the change as a pure function, write
 * back only if the row is still at the version that was loaded. A write that loses that check is
 * re-run as a whole on the fresh row, a bounded number of times with random backoff.
 *
 * <p>Changes to one session that reach this replica while a write for it is under way wait in the
 * session's lane and are then applied one after another to the same document and saved in a
 * single versioned write (each still counts one version). This is what keeps a hot session from
 * collapsing into retries; the version check still guards against every other replica. Nothing in
 * a lane outlives the requests in it.
 */
@ApplicationScoped
public class Sessions {

    private static final int MAX_BATCH = 128;
    private static final long MIN_DELAY_NANOS = 1_000_000L;

    private final SessionTable table;
    private final Clock clock;
    private final int maxAttempts;
    private final long maxDelayNanos;
    private final SessionEvents events;
    private final ConcurrentHashMap<SessionId, Lane> lanes = new ConcurrentHashMap<>();

    public Sessions(SessionTable table, Clock clock, SessionSettings settings, SessionEvents events) {
        this.table = table;
        this.clock = clock;
        this.maxAttempts = settings.maxAttempts();
        this.maxDelayNanos = settings.maxRetryDelay().toNanos();
        this.events = events;
    }

    /** A change as a request brought it: what to do, the version it expects, its idempotency key. */
    public record ChangeRequest(Change change, Precondition precondition, Idempotency idempotency) {
    }

    /** The unexpired session, failing with {@link WriteRefused#notFound()} when there is none. */
    public Uni<Session> get(SessionId id) {
        return guarded(table.find(id, clock.instant()))
                .map(stored -> Optional.ofNullable(stored).orElseThrow(WriteRefused::notFound).session());
    }

    /** A member's open sessions in a store, most recently updated first. */
    public Uni<List<Session>> openSessionsOf(String store, String memberId, int limit) {
        return guarded(table.openSessionsOf(table.pool(), store, memberId, clock.instant(), limit))
                .map(rows -> rows.stream().map(StoredSession::session).toList());
    }

    /**
     * Find-or-create: a new session (201) unless one already exists, which is returned unchanged (200).
     * With {@code If-Match} it only finds: a session that is absent or at another version is 412.
     */
    public Uni<Written> open(SessionId id, Visit visit, Precondition precondition, Idempotency idempotency) {
        return guarded(precondition.isGiven() ? findMatching(id, precondition) : findOrCreate(id, visit, idempotency, 1));
    }

    private Uni<Written> findMatching(SessionId id, Precondition precondition) {
        return table.find(id, clock.instant()).map(stored -> {
            if (stored == null) {
                throw WriteRefused.preconditionFailed(null);
            }
            checkPrecondition(precondition, stored.session().version());
            return new Written(stored.session(), 200, false);
        });
    }

    private Uni<Written> findOrCreate(SessionId id, Visit visit, Idempotency idempotency, int attempt) {
        Instant now = clock.instant();
        Session created = Session.create(id, visit, now);
        StoredSession fresh = idempotency == null
                ? StoredSession.of(created)
                : StoredSession.of(created).remembering(new AppliedKey(idempotency.key(), idempotency.fingerprint(), 201, now));
        return table.insert(fresh).flatMap(inserted -> inserted
                ? Uni.createFrom().item(new Written(created, 201, false))
                : table.find(id, now).flatMap(existing -> existing == null && attempt < maxAttempts
                        // deleted or expired between the insert and the read: try again
                        ? findOrCreate(id, visit, idempotency, attempt + 1)
                        : Uni.createFrom().item(() -> found(existing, idempotency, now))));
    }

    private Written found(StoredSession existing, Idempotency idempotency, Instant now) {
        if (existing == null) {
            throw WriteRefused.versionConflict();
        }
        Optional<AppliedKey> seen = idempotency == null ? Optional.empty() : existing.applied(idempotency.key(), now);
        return seen.map(key -> replay(key, idempotency, existing.session()))
                .orElseGet(() -> new Written(existing.session(), 200, false));
    }

    /**
     * Deletes the session. A repeat with the same {@code Idempotency-Key} answers as the first did,
     * for 24 hours or until the purge removes what is left of the row.
     */
    public Uni<Written> delete(SessionId id, Precondition precondition, Idempotency idempotency) {
        return guarded(delete(id, precondition, idempotency, 1));
    }

    private Uni<Written> delete(SessionId id, Precondition precondition, Idempotency idempotency, int attempt) {
        Instant now = clock.instant();
        return table.find(id, now).flatMap(stored -> {
            if (stored == null) {
                return deletedBefore(id, idempotency, now);
            }
            Optional<Written> repeat = Optional.ofNullable(idempotency)
                    .flatMap(i -> stored.applied(i.key(), now).map(key -> replay(key, i, stored.session())));
            if (repeat.isPresent()) {
                return Uni.createFrom().item(repeat.get());
            }
            checkPrecondition(precondition, stored.session().version());
            List<AppliedKey> keys = idempotency == null
                    ? List.of()
                    : List.of(new AppliedKey(idempotency.key(), idempotency.fingerprint(), 204, now));
            return table.forget(id, stored.session().version(), keys, now).flatMap(deleted -> {
                if (deleted) {
                    return Uni.createFrom().item(new Written(stored.session(), 204, false));
                }
                events.conflict();
                return retryOrGiveUp(attempt, () -> delete(id, precondition, idempotency, attempt + 1));
            });
        });
    }

    private Uni<Written> deletedBefore(SessionId id, Idempotency idempotency, Instant now) {
        if (idempotency == null) {
            return Uni.createFrom().failure(WriteRefused.notFound());
        }
        return table.keysOfExpired(id, now).map(keys -> keys.stream()
                .filter(k -> k.key().equals(idempotency.key()) && k.at().isAfter(now.minus(StoredSession.KEY_LIFETIME)))
                .findFirst()
                .map(key -> replay(key, idempotency, null))
                .orElseThrow(WriteRefused::notFound));
    }

    /** When the session expires, if nothing changes it before then. */
    public Instant expiresAt(Session session) {
        return table.expiry(session.updatedAt());
    }

    /** Applies one change: the pipeline every change endpoint goes through. */
    public Uni<Written> change(SessionId id, ChangeRequest request) {
        return guarded(Uni.createFrom().emitter(emitter -> enqueue(id, new Pending(request, emitter, Vertx.currentContext()))));
    }

    /**
     * Sign-in with cart merge: the member's most recently updated other open session in the store is
     * folded into this one. Both rows are written with their version checks in one transaction; if
     * either moved, the transaction is rolled back and the whole merge re-run on fresh rows.
     */
    public Uni<Written> signInAndMerge(SessionId id, ChangeRequest request) {
        return guarded(merge(id, request, 1));
    }

    private Uni<Written> merge(SessionId id, ChangeRequest request, int attempt) {
        Instant now = clock.instant();
        String memberId = ((Change.SignIn) request.change()).memberId();
        return table.pool().withTransaction(tx -> table.find(tx, id, now).flatMap(target -> {
            if (target == null) {
                throw WriteRefused.notFound();
            }
            Idempotency idempotency = request.idempotency();
            Optional<AppliedKey> seen = idempotency == null ? Optional.empty() : target.applied(idempotency.key(), now);
            if (seen.isPresent()) {
                return Uni.createFrom().item(replay(seen.get(), idempotency, target.session()));
            }
            checkPrecondition(request.precondition(), target.session().version());
            return table.openSessionsOf(tx, id.store(), memberId, now, 2).flatMap(candidates -> {
                Optional<StoredSession> source = candidates.stream()
                        .filter(candidate -> !candidate.session().id().equals(id)).findFirst();
                Session signedIn;
                Uni<Boolean> sourceWritten;
                if (source.isPresent()) {
                    CartMerge.Merged merged = CartMerge.apply(target.session(), source.get().session(), memberId, now);
                    signedIn = merged.target();
                    sourceWritten = table.update(tx, source.get().with(merged.source()), source.get().session().version());
                } else {
                    signedIn = request.change().applyTo(target.session(), now);
                    sourceWritten = Uni.createFrom().item(true);
                }
                StoredSession next = target.with(signedIn);
                StoredSession remembered = idempotency == null
                        ? next
                        : next.remembering(new AppliedKey(idempotency.key(), idempotency.fingerprint(), 200, now));
                return sourceWritten
                        .flatMap(ok -> ok ? table.update(tx, remembered, target.session().version()) : Uni.createFrom().item(false))
                        .map(ok -> {
                            if (!ok) {
                                throw new LostRace();
                            }
                            return new Written(signedIn, 200, false);
                        });
            });
        })).onFailure(LostRace.class).recoverWithUni(() -> {
            events.conflict();
            return retryOrGiveUp(attempt, () -> merge(id, request, attempt + 1));
        });
    }

    /** Rolls a merge's transaction back when one of its version checks failed. */
    private static final class LostRace extends RuntimeException {
        LostRace() {
            super("a merged session changed meanwhile", null, false, false);
        }
    }

    // --- lanes -------------------------------------------------------------------------------

    /** Changes to one session waiting on this replica, and the row as this replica last wrote it. */
    private static final class Lane {
        final SessionId id;
        final List<Pending> waiting = new ArrayList<>();
        boolean busy;
        StoredSession lastWritten;

        Lane(SessionId id) {
            this.id = id;
        }
    }

    /** One request in a lane, and what it will be answered with. */
    private static final class Pending {
        final ChangeRequest request;
        final UniEmitter<? super Written> emitter;
        final Context context;
        Written written;
        RuntimeException refusal;
        AppliedKey replayOf;

        Pending(ChangeRequest request, UniEmitter<? super Written> emitter, Context context) {
            this.request = request;
            this.emitter = emitter;
            this.context = context;
        }

        void reset() {
            written = null;
            refusal = null;
            replayOf = null;
        }

        void answer(Session now) {
            if (replayOf != null) {
                written = new Written(now, replayOf.status(), true);
            }
            if (refusal != null) {
                fail(refusal);
            } else {
                onContext(() -> emitter.complete(written));
            }
        }

        void fail(Throwable failure) {
            onContext(() -> emitter.fail(failure));
        }

        private void onContext(Runnable action) {
            if (context == null) {
                action.run();
            } else {
                context.runOnContext(ignored -> action.run());
            }
        }
    }

    private void enqueue(SessionId id, Pending pending) {
        boolean[] start = {false};
        Lane lane = lanes.compute(id, (key, existing) -> {
            Lane l = existing == null ? new Lane(id) : existing;
            l.waiting.add(pending);
            start[0] = !l.busy;
            l.busy = true;
            return l;
        });
        if (start[0]) {
            runNext(lane);
        }
    }

    private void runNext(Lane lane) {
        List<Pending> batch = new ArrayList<>();
        lanes.compute(lane.id, (key, l) -> {
            List<Pending> head = l.waiting.subList(0, Math.min(MAX_BATCH, l.waiting.size()));
            batch.addAll(head);
            head.clear();
            return batch.isEmpty() ? null : l;
        });
        if (!batch.isEmpty()) {
            run(lane, batch, 1).subscribe().with(done -> runNext(lane), failure -> runNext(lane));
        }
    }

    /** Loads (or reuses this lane's last write), applies the batch in order and writes once. */
    private Uni<Void> run(Lane lane, List<Pending> batch, int attempt) {
        Instant now = clock.instant();
        Uni<StoredSession> base = lane.lastWritten != null
                ? Uni.createFrom().item(lane.lastWritten)
                : table.find(lane.id, now);
        return base.flatMap(stored -> {
            if (stored == null) {
                lane.lastWritten = null;
                batch.forEach(p -> p.fail(WriteRefused.notFound()));
                return Uni.createFrom().voidItem();
            }
            StoredSession next = applyAll(stored, batch, now);
            if (next == stored) {
                answerAll(batch, next);
                return Uni.createFrom().voidItem();
            }
            return table.update(next, stored.session().version()).flatMap(written -> {
                if (written) {
                    lane.lastWritten = next;
                    events.written(batch.size());
                    answerAll(batch, next);
                    return Uni.createFrom().voidItem();
                }
                lane.lastWritten = null;
                events.conflict();
                if (attempt >= maxAttempts) {
                    events.exhausted();
                    batch.forEach(p -> p.fail(WriteRefused.versionConflict()));
                    return Uni.createFrom().voidItem();
                }
                return Uni.createFrom().voidItem().onItem().delayIt().by(backoff(attempt))
                        .flatMap(ignored -> run(lane, batch, attempt + 1));
            });
        }).onFailure().invoke(failure -> {
            lane.lastWritten = null;
            batch.forEach(p -> p.fail(failure));
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    private void answerAll(List<Pending> batch, StoredSession finalState) {
        for (Pending p : batch) {
            if (p.replayOf != null) {
                events.replayed();
            }
            p.answer(finalState.session());
        }
    }

    /** The batch applied in order to {@code stored}; each pending learns its own answer. */
    private StoredSession applyAll(StoredSession stored, List<Pending> batch, Instant now) {
        StoredSession working = stored;
        for (Pending p : batch) {
            p.reset();
            working = applyOne(working, p, now);
        }
        return working;
    }

    private StoredSession applyOne(StoredSession working, Pending p, Instant now) {
        ChangeRequest request = p.request;
        Idempotency idempotency = request.idempotency();
        Optional<AppliedKey> seen = idempotency == null ? Optional.empty() : working.applied(idempotency.key(), now);
        if (seen.isPresent()) {
            if (seen.get().fingerprint().equals(idempotency.fingerprint())) {
                p.replayOf = seen.get();
            } else {
                p.refusal = WriteRefused.keyReused();
            }
            return working;
        }
        if (!request.precondition().allows(working.session().version())) {
            p.refusal = WriteRefused.preconditionFailed(working.session().version());
            return working;
        }
        try {
            Session next = request.change().applyTo(working.session(), now);
            StoredSession after = next == working.session() ? working : working.with(next);
            if (idempotency != null && after != working) {
                after = after.remembering(new AppliedKey(idempotency.key(), idempotency.fingerprint(), 200, now));
            }
            p.written = new Written(next, 200, false);
            return after;
        } catch (ChangeRejected rejected) {
            p.refusal = rejected;
            return rejected.auditEntry()
                    .map(entry -> working.with(working.session().logged(now, entry).advanced(now)))
                    .orElse(working);
        }
    }

    // --- shared helpers ----------------------------------------------------------------------

    /** Database failures leave the store as {@link StoreUnavailable}, and nothing else does. */
    static <T> Uni<T> guarded(Uni<T> pipeline) {
        return pipeline.onFailure(Unavailability::isDatabaseUnavailable).transform(StoreUnavailable::new);
    }

    private static void checkPrecondition(Precondition precondition, long version) {
        if (!precondition.allows(version)) {
            throw WriteRefused.preconditionFailed(version);
        }
    }

    private Written replay(AppliedKey key, Idempotency idempotency, Session now) {
        if (!key.fingerprint().equals(idempotency.fingerprint())) {
            throw WriteRefused.keyReused();
        }
        events.replayed();
        return new Written(now, key.status(), true);
    }

    private Uni<Written> retryOrGiveUp(int attempt, java.util.function.Supplier<Uni<Written>> again) {
        if (attempt >= maxAttempts) {
            events.exhausted();
            return Uni.createFrom().failure(WriteRefused.versionConflict());
        }
        return Uni.createFrom().voidItem().onItem().delayIt().by(backoff(attempt)).flatMap(ignored -> again.get());
    }

    /**
     * A random wait of at least 1 ms (timers go no finer) up to a bound that doubles with each
     * attempt, capped by configuration.
     */
    private Duration backoff(int attempt) {
        long bound = Math.max(MIN_DELAY_NANOS, Math.min(maxDelayNanos, MIN_DELAY_NANOS << Math.min(attempt, 20)));
        return Duration.ofNanos(MIN_DELAY_NANOS + ThreadLocalRandom.current().nextLong(bound));
    }
}
