package com.redfour.shopping.session.write;

import com.redfour.shopping.session.SessionId;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.RecoveryLink;
import com.redfour.shopping.session.store.RecoveryLinkTable;
import com.redfour.shopping.session.store.Row;
import com.redfour.shopping.session.store.SessionTable;
import com.redfour.shopping.session.store.SourceWrite;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The pipeline's {@link Rows}: the session table and the recovery link table. */
@ApplicationScoped
class TableRows implements Rows {

    private final SessionTable table;
    private final RecoveryLinkTable links;

    TableRows(SessionTable table, RecoveryLinkTable links) {
        this.table = table;
        this.links = links;
    }

    @Override
    public Uni<Row> load(SessionId id, Instant now) {
        return table.load(id, now);
    }

    @Override
    public Uni<List<Row.Live>> openSessionsOf(String store, String memberId, Instant now, int limit) {
        return table.openSessionsOf(store, memberId, now, limit);
    }

    @Override
    public Uni<Optional<RecoveryLink>> link(String store, String tokenHash) {
        return links.find(store, tokenHash);
    }

    @Override
    public Uni<Boolean> save(Row loaded, Row next, Optional<SourceWrite> source, List<PendingEvent> events, Instant now) {
        return table.save(loaded, next, source, events, now);
    }
}
