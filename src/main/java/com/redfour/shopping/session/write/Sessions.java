package com.redfour.shopping.session.write;

import com.redfour.shopping.db.Guarded;
import com.redfour.shopping.db.StoreUnavailable;
import com.redfour.shopping.session.Lifetime;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SessionQuery;
import com.redfour.shopping.session.store.SessionSettings;
import com.redfour.shopping.session.store.SessionTable;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The session store as the rest of the service sees it: one way to write ({@link #write}, through
 * the {@link WritePipeline}), plain reads, and the configured {@link Lifetime}. Database failures leave
 * it as {@link StoreUnavailable} ({@link Guarded}) and nothing else does.
 */
@ApplicationScoped
@Guarded
public class Sessions {

    private final WritePipeline pipeline;
    private final SessionTable table;
    private final SessionQuery query;
    private final Clock clock;

    Sessions(WritePipeline pipeline, SessionTable table, SessionQuery query, Clock clock) {
        this.pipeline = pipeline;
        this.table = table;
        this.query = query;
        this.clock = clock;
    }

    /** Any write: open, change, delete, sign-in with merge. Refusals are outcomes, not failures. */
    public Uni<Outcome> write(WriteRequest request) {
        return pipeline.write(request);
    }

    /** The session as it is ({@link Outcome.Found}), {@link Outcome.Expired} or {@link Outcome.NotFound}; never writes. */
    public Uni<Outcome> read(SessionId id) {
        return table.load(id, clock.instant())
                .map(row -> row.current().<Outcome>map(Outcome.Found::new).orElseGet(() -> Decide.absence(row)));
    }

    /** A member's open sessions in a store, most recently updated first. */
    public Uni<List<Session>> openSessionsOf(String store, String memberId, int limit) {
        return table.openSessionsOf(store, memberId, clock.instant(), limit)
                .map(rows -> rows.stream().map(Row.Live::session).toList());
    }

    /** A page of the store's live sessions matching {@code filter}, most recently updated first. */
    public Uni<SessionQuery.Page> query(String store, SessionQuery.Filter filter, Optional<SessionQuery.Position> after,
            int limit) {
        return query.page(store, filter, after, limit, clock.instant());
    }

    /** The lifetime rule as configured, for the edge to tell when a session expires. */
    @Produces
    @Singleton
    static Lifetime lifetime(SessionSettings settings) {
        return new Lifetime(settings.ttl(), settings.emptyTtl());
    }
}
