package com.redfour.shopping.session.write;

import com.redfour.shopping.session.Arrival;
import com.redfour.shopping.session.CartRecovery;
import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.RecoveredFrom;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SourceWrite;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a restore through a recovery link does (pure, like {@link Decide}): the link must be the store's,
 * not the receiving session's own, {@link RecoveryLink#state ready}, and its session must hold lines;
 * the receiving session is created first when absent; then the cart moves ({@link CartRecovery}) and
 * the link is used up.
 */
final class Restoring {

    private Restoring() {
    }

    static Decide.Step decide(Row row, Write.Restore restore, WriteRequest request, OtherSession.RecoveredCart found,
            Instant now) {
        if (found.link().isEmpty()) {
            return Decide.Step.of(row, new Outcome.LinkRefused(Outcome.LinkRefusal.UNKNOWN));
        }
        RecoveryLink link = found.link().get();
        if (link.sessionKey().equals(request.id().key())) {
            return Decide.Step.of(row, new Outcome.Rejected(ChangeRejected.invalid("into",
                    "is the session this link recovers; restore it into the shopper's current session")));
        }
        Optional<Outcome.LinkRefusal> refusal = switch (link.state(found.session(), now)) {
            case USED -> Optional.of(Outcome.LinkRefusal.USED);
            case EXPIRED -> Optional.of(Outcome.LinkRefusal.EXPIRED);
            case READY -> ((Row.Live) found.session()).session().cart().lines().isEmpty()
                    ? Optional.of(Outcome.LinkRefusal.NOTHING_TO_RECOVER) : Optional.empty();
        };
        if (refusal.isPresent()) {
            return Decide.Step.of(row, new Outcome.LinkRefused(refusal.get()));
        }
        Row.Live source = (Row.Live) found.session();
        List<PendingEvent> events = new ArrayList<>();
        Row.Live into;
        if (row instanceof Row.Live live) {
            into = live;
        } else if (request.precondition().isGiven()) {
            return Decide.Step.of(row, new Outcome.PreconditionFailed(null)); // no version to match
        } else {
            Arrival arrival = restore.arrival();
            Session created = Session.create(request.id(), new Arrival(arrival.landing(), arrival.referrer(), arrival.ip(),
                    source.session().arrival().currency()), null, now);
            events.add(Decide.createdEvent(created));
            into = Row.Live.of(created);
        }
        try {
            RecoveredFrom from = new RecoveredFrom(now, link.id(), link.campaign());
            CartRecovery.Restored restored = CartRecovery.apply(into.session(), source.session(), from, restore.maxLines(), now);
            events.add(PendingEvent.of(Happened.of("session.recovered", "linkId", link.id(), "campaign", link.campaign(),
                    "lines", restored.lines()), restored.into()));
            events.add(PendingEvent.of(Happened.of("session.merged", "into", request.id().key()), restored.source()));
            SourceWrite.LinkUse use = new SourceWrite.LinkUse(link.store(), link.id(), now);
            return new Decide.Step(into.with(restored.into()), new Outcome.Changed(restored.into()),
                    Optional.of(new SourceWrite(source, source.with(restored.source()), Optional.of(use))), List.copyOf(events));
        } catch (ChangeRejected rejected) {
            return Decide.Step.of(row, new Outcome.Rejected(rejected));
        }
    }
}
