package com.redfour.shopping.session.write;

import com.redfour.shopping.session.CartMerge;
import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Warning;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SourceWrite;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a write does to a session's row: a pure function of the row and the request, giving the next
 * row and the outcome. Only this and the SQL it leads to differ between kinds of write.
 */
final class Decide {

    private Decide() {
    }

    /**
     * The next row and the outcome of one request. {@code next} is the very same row when nothing is
     * to be written; {@code source} is present only for a sign-in that merged another session;
     * {@code events} are what the written change is told as (none for a refusal, even one that logged).
     */
    record Step(Row next, Outcome outcome, Optional<SourceWrite> source, List<PendingEvent> events) {
        static Step of(Row next, Outcome outcome) {
            return new Step(next, outcome, Optional.empty(), List.of());
        }

        static Step of(Row next, Outcome outcome, PendingEvent event) {
            return new Step(next, outcome, Optional.empty(), List.of(event));
        }
    }

    /**
     * @param other for a {@link Write.SignInAndMerge}: the member's most recently updated other open
     *     session, if any; for a {@link Write.Restore}: the link and its session
     */
    static Step decide(Row row, WriteRequest request, OtherSession other, Instant now) {
        Write write = request.write();
        if (write instanceof Write.Open open) {
            return open(row, open, request, now);
        }
        if (write instanceof Write.Restore restore) {
            return Restoring.decide(row, restore, request, (OtherSession.RecoveredCart) other, now);
        }
        if (!(row instanceof Row.Live live)) {
            return Step.of(row, absence(row));
        }
        if (write instanceof Write.Apply apply) {
            return apply(live, apply.change(), now);
        }
        if (write instanceof Write.SignInAndMerge merge) {
            Optional<Row.Live> mergeSource = other instanceof OtherSession.MembersCart members ? members.session() : Optional.empty();
            return mergeSource.map(source -> merge(live, source, merge, now))
                    .orElseGet(() -> apply(live, new Change.SignIn(merge.memberId()), now));
        }
        Session deleted = live.session();
        long version = deleted.version() + 1;
        return Step.of(Row.Gone.deleted(version, List.of()), new Outcome.Deleted(),
                new PendingEvent(Happened.of("session.deleted"), version, now, deleted));
    }

    /** Why there is no session: it expired (and is not purged yet), or it never was or was deleted. */
    static Outcome.Refused absence(Row row) {
        return row instanceof Row.Gone gone && gone.expired() ? new Outcome.Expired() : new Outcome.NotFound();
    }

    private static Step open(Row row, Write.Open open, WriteRequest request, Instant now) {
        if (row instanceof Row.Live live) {
            return Step.of(row, new Outcome.Found(live.session()));
        }
        if (request.precondition().isGiven()) {
            // with If-Match a PUT only finds: there is no version to match
            return Step.of(row, new Outcome.PreconditionFailed(null));
        }
        Session created = Session.create(request.id(), open.arrival(), open.memberId(), now);
        return Step.of(Row.Live.of(created), new Outcome.Created(created), createdEvent(created));
    }

    /** The event of a session's creation. */
    static PendingEvent createdEvent(Session created) {
        return PendingEvent.of(Happened.of("session.created", "landing", created.arrival().landing(),
                "referrer", created.arrival().referrer(), "memberId", created.memberId(),
                "currency", created.arrival().currency()), created);
    }

    private static Step apply(Row.Live live, Change change, Instant now) {
        Session session = live.session();
        try {
            Session next = change.applyTo(session, now);
            if (next == session) {
                return Step.of(live, new Outcome.Changed(next, List.of()));
            }
            return Step.of(live.with(next), new Outcome.Changed(next, change.warnings(session)),
                    PendingEvent.of(change.happened(session, next), next));
        } catch (ChangeRejected rejected) {
            Row audited = rejected.auditEntry()
                    .<Row>map(entry -> live.with(session.logged(now, entry).advanced(now)))
                    .orElse(live);
            return Step.of(audited, new Outcome.Rejected(rejected));
        }
    }

    private static Step merge(Row.Live target, Row.Live source, Write.SignInAndMerge merge, Instant now) {
        try {
            CartMerge.Merged merged = CartMerge.apply(target.session(), source.session(), merge.memberId(),
                    merge.maxLines(), now);
            PendingEvent signedIn = PendingEvent.of(Happened.of("member.signed-in", "memberId", merge.memberId(),
                    "mergedFrom", source.session().id().key()), merged.target());
            PendingEvent mergedAway = PendingEvent.of(Happened.of("session.merged",
                    "into", target.session().id().key()), merged.source());
            return new Step(target.with(merged.target()), new Outcome.Changed(merged.target()),
                    Optional.of(new SourceWrite(source, source.with(merged.source()))), List.of(signedIn, mergedAway));
        } catch (ChangeRejected rejected) {
            return Step.of(target, new Outcome.Rejected(rejected));
        }
    }
}
