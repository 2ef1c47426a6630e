package com.redfour.shopping.session.write;

import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SourceWrite;
import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the write pipeline reads and writes, and nothing more: the tables in the service
 * ({@link TableRows}), a map in the pipeline's own tests.
 */
interface Rows {

    /** The session's row as it is at {@code now}: absent, live, or gone. */
    Uni<Row> load(SessionId id, Instant now);

    /** A member's open sessions in a store, most recently updated first. */
    Uni<List<Row.Live>> openSessionsOf(String store, String memberId, Instant now, int limit);

    /** The store's recovery link whose token has this hash. */
    Uni<Optional<RecoveryLink>> link(String store, String tokenHash);

    /** Writes what one batch decided, each row guarded by the version it was read at; false when a guard failed. */
    Uni<Boolean> save(Row loaded, Row next, Optional<SourceWrite> source, List<PendingEvent> events, Instant now);
}
