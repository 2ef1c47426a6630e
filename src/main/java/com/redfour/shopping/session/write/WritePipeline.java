package com.redfour.shopping.session.write;

import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.EventsCommitted;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SessionSettings;
import com.redfour.shopping.session.store.SessionTable;
import jakarta.inject.Inject;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The one way a session is written. Every write request joins its session's {@link Lanes lane};
 * each batch of a lane runs the same steps: load the row (or take the row this lane last wrote) →
 * {@link Fold fold} the batch over it (screen, decide, remember keys: pure) → one versioned
 * {@link SessionTable#save save} → on a lost version check, back off and run the batch again on the
 * fresh row ({@link Retry}) → answer each request with its {@link Outcome}. Requests the fold did
 * not take (after a merge, or a second create or delete) run as the lane's next batch.
 */
@ApplicationScoped
class WritePipeline {

    /** At most this many requests are folded into one write. */
    static final int MAX_BATCH = 128;
    /** How many of a member's sessions a merge looks at: the session signing in may be one of them. */
    private static final int MERGE_CANDIDATES = 2;

    /** Span events: a write lost the version check and will be tried again, or will not. */
    static final String VERSION_CONFLICT = "redfour.version_conflict";
    static final String RETRIES_EXHAUSTED = "redfour.retries_exhausted";
    private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("redfour.attempt");
    private static final AttributeKey<Long> RETRY_DELAY_US = AttributeKey.longKey("redfour.retry_delay_us");

    private final Rows rows;
    private final Clock clock;
    private final Retry retry;
    private final WriteMetrics metrics;
    private final Consumer<EventsCommitted> committed;
    private final boolean recordEvents;
    private final Lanes<SessionId, Pending, Row> lanes = new Lanes<>(MAX_BATCH, this::run);

    @Inject
    WritePipeline(Rows rows, Clock clock, SessionSettings settings, WriteMetrics metrics, Event<EventsCommitted> committed) {
        this(rows, clock, new Retry(settings.maxAttempts(), settings.maxRetryDelay(), ThreadLocalRandom.current()),
                settings.recordEvents(), metrics, committed::fire);
    }

    /** With its parts given: the pipeline's tests give a map for the tables and a seeded retry. */
    WritePipeline(Rows rows, Clock clock, Retry retry, boolean recordEvents, WriteMetrics metrics,
            Consumer<EventsCommitted> committed) {
        this.rows = rows;
        this.clock = clock;
        this.retry = retry;
        this.recordEvents = recordEvents;
        this.metrics = metrics;
        this.committed = committed;
    }

    /** The outcome of one write; fails only when the database does (or on a bug). */
    Uni<Outcome> write(WriteRequest request) {
        return Uni.createFrom().emitter(emitter -> lanes.submit(request.id(), new Pending(request, emitter, Vertx.currentContext(), Span.current())));
    }

    /**
     * One request in a lane, and whoever waits for its outcome (answered on the request's own
     * context); {@code span} is the request's trace span, taken when it joined, because the batch it
     * runs in may have been started by another request.
     */
    private record Pending(WriteRequest request, UniEmitter<? super Outcome> emitter, Context context, Span span) {
        void answer(Outcome outcome) {
            onContext(() -> emitter.complete(outcome));
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

    private Uni<List<Pending>> run(SessionId id, List<Pending> batch, Lanes.Memo<Row> memo) {
        return attempt(id, batch, memo, 1).onFailure().recoverWithItem(failure -> {
            memo.clear();
            batch.forEach(p -> p.fail(failure));
            return List.of();
        });
    }

    private Uni<List<Pending>> attempt(SessionId id, List<Pending> batch, Lanes.Memo<Row> memo, int attempt) {
        Instant now = clock.instant();
        Row remembered = memo.get();
        Uni<Row> load = remembered != null ? Uni.createFrom().item(remembered) : rows.load(id, now);
        List<WriteRequest> requests = batch.stream().map(Pending::request).toList();
        return read(load, requests.get(0), now).flatMap(read -> {
            Row row = read.row();
            OtherSession other = read.other();
            Fold.Folded folded = Fold.fold(row, requests, other, now);
            if (!folded.writes() && remembered != null) {
                // nothing to write, so nothing would notice that another replica moved the row on:
                // answer from the table, not from this lane's memory
                memo.clear();
                return attempt(id, batch, memo, attempt);
            }
            if (!folded.writes()) {
                return Uni.createFrom().item(answer(batch, folded));
            }
            return rows.save(row, folded.last(), folded.source(), folded.events(), now).flatMap(saved -> {
                if (saved) {
                    memo.set(SessionTable.settled(folded.last()));
                    metrics.written(folded.changes());
                    if (recordEvents && !folded.events().isEmpty()) {
                        committed.accept(new EventsCommitted(id.store()));
                    }
                    return Uni.createFrom().item(answer(batch, folded));
                }
                memo.clear();
                metrics.conflict();
                if (retry.exhausted(attempt)) {
                    metrics.exhausted();
                    traceEvent(batch, folded, RETRIES_EXHAUSTED, attempt, 0);
                    batch.subList(0, folded.taken()).forEach(p -> p.answer(new Outcome.VersionConflict()));
                    return Uni.createFrom().item(leftovers(batch, folded));
                }
                java.time.Duration delay = retry.delay(attempt);
                traceEvent(batch, folded, VERSION_CONFLICT, attempt, delay.toNanos() / 1000);
                return Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                        .flatMap(ignored -> attempt(id, batch, memo, attempt + 1));
            });
        });
    }

    /** The row and the other session the head of the batch reads. */
    private record Read(Row row, OtherSession other) {
    }

    /**
     * The row, and the other session the head of the batch reads. A restore reads the link and its
     * session first: whatever used the link committed before that read, so the row read after it
     * already holds that restore's idempotency key when it was this restore's, retried elsewhere
     * (a replay, not a "used").
     */
    private Uni<Read> read(Uni<Row> load, WriteRequest head, Instant now) {
        if (head.write() instanceof Write.Restore) {
            return other(Row.ABSENT, head, now).flatMap(other -> load.map(row -> new Read(row, other)));
        }
        return load.flatMap(row -> other(row, head, now).map(other -> new Read(row, other)));
    }

    /** On the span of each request the batch wrote for: the version check was lost on this attempt. */
    private static void traceEvent(List<Pending> batch, Fold.Folded folded, String name, int attempt, long delayMicros) {
        Attributes attributes = delayMicros > 0
                ? Attributes.of(ATTEMPT, (long) attempt, RETRY_DELAY_US, delayMicros)
                : Attributes.of(ATTEMPT, (long) attempt);
        batch.subList(0, folded.taken()).forEach(p -> p.span().addEvent(name, attributes));
    }

    /**
     * The other session the head of the batch reads, read afresh on every attempt: for a sign-in with
     * merge, the member's most recently updated other open session; for a restore, the recovery link
     * and its session's row.
     */
    private Uni<OtherSession> other(Row row, WriteRequest head, Instant now) {
        if (head.write() instanceof Write.SignInAndMerge merge && row instanceof Row.Live) {
            return rows.openSessionsOf(head.id().store(), merge.memberId(), now, MERGE_CANDIDATES)
                    .map(candidates -> new OtherSession.MembersCart(
                            candidates.stream().filter(c -> !c.session().id().equals(head.id())).findFirst()));
        }
        if (head.write() instanceof Write.Restore restore) {
            return rows.link(head.id().store(), restore.tokenHash()).flatMap(link -> link.isEmpty()
                    ? Uni.createFrom().item(new OtherSession.RecoveredCart(link, Row.ABSENT))
                    : rows.load(new SessionId(head.id().store(), link.get().sessionKey()), now)
                            .map(session -> new OtherSession.RecoveredCart(link, session)));
        }
        return Uni.createFrom().item(OtherSession.NONE);
    }

    private List<Pending> answer(List<Pending> batch, Fold.Folded folded) {
        for (int i = 0; i < folded.taken(); i++) {
            Outcome outcome = folded.outcomes().get(i);
            if (outcome instanceof Outcome.Replayed) {
                metrics.replayed();
            }
            batch.get(i).answer(outcome);
        }
        return leftovers(batch, folded);
    }

    private static List<Pending> leftovers(List<Pending> batch, Fold.Folded folded) {
        return List.copyOf(batch.subList(folded.taken(), batch.size()));
    }
}
