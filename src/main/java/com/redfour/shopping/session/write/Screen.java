package com.redfour.shopping.session.write;

import com.redfour.shopping.session.store.AppliedKey;
import com.redfour.shopping.session.store.Row;

import java.time.Instant;
import java.util.Optional;

/**
 * The checks every write passes before anything is decided, written once: a repeated
 * {@code Idempotency-Key} is answered as the first request was (or refused, if the key came with a
 * different request), and {@code If-Match} must name the live session's version.
 */
final class Screen {

    private Screen() {
    }

    /** The outcome that ends the request here, or empty when it goes on to be decided. */
    static Optional<Outcome> check(Row row, WriteRequest request, Instant now) {
        Idempotency idempotency = request.idempotency();
        Optional<AppliedKey> seen = idempotency == null ? Optional.empty() : row.applied(idempotency.key(), now);
        if (seen.isPresent()) {
            AppliedKey first = seen.get();
            if (!first.fingerprint().equals(idempotency.fingerprint())) {
                return Optional.of(new Outcome.KeyReused());
            }
            if (row instanceof Row.Live live) {
                return Optional.of(new Outcome.Replayed(first.outcome(), live.session()));
            }
            if (first.outcome() == AppliedKey.Kind.DELETED) {
                return Optional.of(new Outcome.Replayed(AppliedKey.Kind.DELETED, null));
            }
            // the key changed a session that has gone since: there is nothing to answer a repeat
            // with, so the request is decided afresh (as a create, or as not found)
        }
        if (row instanceof Row.Live live && !request.precondition().allows(live.session().version())) {
            return Optional.of(new Outcome.PreconditionFailed(live.session().version()));
        }
        return Optional.empty();
    }
}
