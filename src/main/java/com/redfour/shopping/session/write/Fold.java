package com.redfour.shopping.session.write;

import com.redfour.shopping.session.store.AppliedKey;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SourceWrite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A batch of requests for one session, applied in order to one row: each is screened, decided, and
 * (when it changed the row) its idempotency key remembered, so that the whole batch is saved by one
 * versioned write. Pure: no I/O, no clock.
 */
final class Fold {

    private Fold() {
    }

    /**
     * What a batch came to.
     *
     * @param loaded the row the batch started from
     * @param last the row after the requests taken; the same instance as {@code loaded} when there is nothing to write
     * @param outcomes one per request taken, in order
     * @param changes how many of them changed the row (each moved the version by one)
     * @param source the other row a sign-in merge or a restore writes in the same transaction
     * @param events the events of the changes, in order, saved with them
     */
    record Folded(Row loaded, Row last, List<Outcome> outcomes, int changes, Optional<SourceWrite> source,
            List<PendingEvent> events) {

        /** How many requests of the batch were taken; the rest go into a batch of their own. */
        int taken() {
            return outcomes.size();
        }

        boolean writes() {
            return last != loaded || source.isPresent();
        }
    }

    static Folded fold(Row loaded, List<WriteRequest> batch, OtherSession other, Instant now) {
        Row current = loaded;
        List<Outcome> outcomes = new ArrayList<>(batch.size());
        int changes = 0;
        Optional<SourceWrite> source = Optional.empty();
        List<PendingEvent> events = new ArrayList<>();
        for (WriteRequest request : batch) {
            boolean first = outcomes.isEmpty();
            if (!first && readsOther(request.write())) {
                break; // it was not read for this request, and a merge writes two rows: it is saved alone
            }
            Optional<Outcome> screened = Screen.check(current, request, now);
            if (screened.isPresent()) {
                outcomes.add(screened.get());
                continue;
            }
            Decide.Step step = Decide.decide(current, request, other, now);
            Row next = step.next();
            if (next != current && !first && isLive(loaded) != isLive(current) && isLive(current) != isLive(next)) {
                break; // one statement saves the batch, so the row is created or deleted at most once in it
            }
            if (next != current) {
                changes++;
                next = remember(next, request, step.outcome(), now);
                events.addAll(step.events());
            }
            source = step.source();
            outcomes.add(step.outcome());
            current = next;
            if (source.isPresent()) {
                break;
            }
        }
        return new Folded(loaded, current, outcomes, changes, source, List.copyOf(events));
    }

    /** Whether the write reads another session ({@link OtherSession}), loaded for the head of a batch only. */
    static boolean readsOther(Write write) {
        return write instanceof Write.SignInAndMerge || write instanceof Write.Restore;
    }

    private static boolean isLive(Row row) {
        return row instanceof Row.Live;
    }

    /** The row with the request's key remembered, when the request changed it (a refusal that logged does not count). */
    private static Row remember(Row next, WriteRequest request, Outcome outcome, Instant now) {
        Idempotency idempotency = request.idempotency();
        Optional<AppliedKey.Kind> kind = kindOf(outcome);
        if (idempotency == null || kind.isEmpty()) {
            return next;
        }
        return next.remembering(new AppliedKey(idempotency.key(), idempotency.fingerprint(), kind.get(), now));
    }

    private static Optional<AppliedKey.Kind> kindOf(Outcome outcome) {
        if (outcome instanceof Outcome.Created) {
            return Optional.of(AppliedKey.Kind.CREATED);
        }
        if (outcome instanceof Outcome.Changed) {
            return Optional.of(AppliedKey.Kind.CHANGED);
        }
        if (outcome instanceof Outcome.Deleted) {
            return Optional.of(AppliedKey.Kind.DELETED);
        }
        return Optional.empty();
    }
}
