package com.redfour.shopping.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The changes of everything in a session but its cart: who the customer is, what they did, their note
 * and attributes, how they came back, the checkout; named {@code Change.SignIn} and so on ({@link Change}).
 */
interface VisitChanges {

    /** The customer signed in as a member (without merging any other cart). */
    record SignIn(String memberId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withMember(memberId).logged(now, "Signed in as member " + memberId);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("member.signed-in", "memberId", memberId, "mergedFrom", null);
        }
    }

    /** The customer signed out: the session no longer belongs to a member. */
    record SignOut() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withMember(null).logged(now, "Signed out");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("member.signed-out", "memberId", before.memberId());
        }
    }

    /** Something the storefront saw the customer do. */
    record RecordActivity(String entry) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.logged(now, entry);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("activity.recorded", "entry", entry);
        }
    }

    /** Set the customer's note; the same note again changes nothing. */
    record SetNote(String note) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return note.equals(session.note()) ? session : session.withNote(note).logged(now, "Note set");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("note.changed", "note", note);
        }
    }

    /** Clear the customer's note; without one, nothing changes. */
    record ClearNote() implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.note() == null ? session : session.withNote(null).logged(now, "Note cleared");
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("note.changed", "note", null);
        }
    }

    /**
     * Change the session's attributes as a JSON Merge Patch does: the keys of {@code set} take their
     * values, the keys in {@code removed} go. A patch that changes nothing changes nothing; one that
     * would leave more than {@link Attributes#MAX_PER_SESSION} keys is refused.
     */
    record ChangeAttributes(Map<String, String> set, Set<String> removed) implements Change {

        public ChangeAttributes {
            set = Attributes.copyOf(set);
            removed = Collections.unmodifiableSet(new TreeSet<>(removed));
        }

        @Override
        public Session apply(Session session, Instant now) {
            Map<String, String> next = new TreeMap<>(session.attributes());
            next.keySet().removeAll(removed);
            next.putAll(set);
            if (next.equals(session.attributes())) {
                return session;
            }
            if (next.size() > Attributes.MAX_PER_SESSION) {
                throw ChangeRejected.invalid("attributes", "would hold " + next.size() + " keys; a session holds at most "
                        + Attributes.MAX_PER_SESSION);
            }
            List<String> said = new ArrayList<>();
            if (!set.isEmpty()) {
                said.add("set " + String.join(", ", set.keySet()));
            }
            List<String> gone = removed.stream().filter(session.attributes()::containsKey).toList();
            if (!gone.isEmpty()) {
                said.add("removed " + String.join(", ", gone));
            }
            return session.withAttributes(next).logged(now, "Attributes changed: " + String.join("; ", said));
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("attributes.changed", "set", set,
                    "removed", removed.stream().filter(before.attributes()::containsKey).toList(),
                    "attributes", after.attributes());
        }
    }

    /** The customer came back: a new last touch (landing, referrer, campaign tags). */
    record RecordTouch(String landing, String referrer) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            return session.withAttribution(session.attribution().returning(Touch.of(now, landing, referrer)))
                    .logged(now, "Returned via " + landing);
        }

        @Override
        public Happened happened(Session before, Session after) {
            Touch touch = after.attribution().last();
            Map<String, Object> utm = new LinkedHashMap<>();
            utm.put("source", touch.utm().source());
            utm.put("medium", touch.utm().medium());
            utm.put("campaign", touch.utm().campaign());
            utm.put("term", touch.utm().term());
            utm.put("content", touch.utm().content());
            return Happened.of("session.touched", "landing", touch.landing(), "referrer", touch.referrer(),
                    "utm", utm, "clickId", touch.clickId(), "touches", after.attribution().touches());
        }
    }

    /** Checkout finished: the session is closed, optionally naming the order it became. */
    record Close(String orderId) implements Change {
        @Override
        public Session apply(Session session, Instant now) {
            String entry = orderId == null ? "Closed" : "Closed as order " + orderId;
            return session.withStatus(Status.CLOSED).logged(now, entry);
        }

        @Override
        public Happened happened(Session before, Session after) {
            return Happened.of("session.closed", "orderId", orderId);
        }
    }
}
