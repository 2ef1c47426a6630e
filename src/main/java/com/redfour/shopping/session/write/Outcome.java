package com.redfour.shopping.session.write;

import com.redfour.shopping.session.ChangeRejected;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.Warning;
import com.redfour.shopping.session.store.AppliedKey;

import java.util.List;

/**
 * What a read or write of a session came to. {@link Sessions} answers with these values; only the
 * HTTP edge turns them into statuses.
 */
public sealed interface Outcome {

    /** A new session was created. */
    record Created(Session session) implements Outcome {
    }

    /** The session as it is; nothing was written. */
    record Found(Session session) implements Outcome {
    }

    /**
     * The session right after this request's change (the same session when the change changed
     * nothing), and what this request's answer should warn of (only this request's: never stored).
     */
    record Changed(Session session, List<Warning> warnings) implements Outcome {
        public Changed {
            warnings = List.copyOf(warnings);
        }

        /** A change without warnings. */
        public Changed(Session session) {
            this(session, List.of());
        }
    }

    /** The session was deleted. */
    record Deleted() implements Outcome {
    }

    /**
     * A repeat of an {@code Idempotency-Key}: not applied again.
     *
     * @param first what the first request came to
     * @param now the session as it is now ({@code null} when it no longer exists)
     */
    record Replayed(AppliedKey.Kind first, Session now) implements Outcome {
    }

    /** Nothing was written for this request, for the reason the variant names. */
    sealed interface Refused extends Outcome {
    }

    /** No such session: never created, or deleted. */
    record NotFound() implements Refused {
    }

    /** The session expired and has not been purged yet. */
    record Expired() implements Refused {
    }

    /** {@code If-Match} named a version the session is not at; {@code currentVersion} is null when there is no session. */
    record PreconditionFailed(Long currentVersion) implements Refused {
    }

    /** The write kept losing the version check to other writers until its attempts ran out. */
    record VersionConflict() implements Refused {
    }

    /** The {@code Idempotency-Key} was first used for a different request on this session. */
    record KeyReused() implements Refused {
    }

    /** The session's own rules refused the change. */
    record Rejected(ChangeRejected reason) implements Refused {
    }

    /** A recovery link cannot give its cart back, for the reason named. */
    record LinkRefused(LinkRefusal why) implements Refused {
    }

    /** Why a recovery link gives nothing back. */
    enum LinkRefusal {
        /** No such link in this store (an unknown or altered token). */
        UNKNOWN,
        /** A restore used it, or its cart went elsewhere (the session was closed or merged). */
        USED,
        /** It expired, or so did its session. */
        EXPIRED,
        /** Its session holds no line to give back. */
        NOTHING_TO_RECOVER
    }
}
