package com.redfour.shopping.session.scan;

import com.redfour.shopping.session.store.EventCodec;
import com.redfour.shopping.session.store.PendingEvent;
import com.redfour.shopping.session.store.SessionTable;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * Records the events the cart scan reports ({@code session.abandoned}, {@code session.expired}) from
 * the scan's transaction, with ids as every event gets them: the writing transaction's id x 1000 plus
 * the event's ordinal in it (0..999), and payloads as {@link EventCodec} writes every event.
 */
final class ScanEvents {

    private static final String INSERT = """
            INSERT INTO session_event (store, id, session_key, version, type, at, payload)
            SELECT e.store, pg_current_xact_id()::text::bigint * 1000 + e.ord - 1, e.key, e.version, e.type, e.at,
                   e.payload::jsonb
              FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::timestamptz[], $6::text[])
                   WITH ORDINALITY AS e(store, key, version, type, at, payload, ord)
            """;

    private ScanEvents() {
    }

    /** Records the events in the transaction of {@code tx}, in the order given; answers how many. */
    static Uni<Integer> insert(SqlConnection tx, List<PendingEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        if (events.size() > SessionTable.MAX_EVENTS_PER_TRANSACTION) {
            throw new IllegalArgumentException("a transaction records at most "
                    + SessionTable.MAX_EVENTS_PER_TRANSACTION + " events");
        }
        int n = events.size();
        String[] stores = new String[n];
        String[] keys = new String[n];
        Long[] versions = new Long[n];
        String[] types = new String[n];
        OffsetDateTime[] ats = new OffsetDateTime[n];
        String[] payloads = new String[n];
        for (int i = 0; i < n; i++) {
            PendingEvent e = events.get(i);
            stores[i] = e.state().id().store();
            keys[i] = e.state().id().key();
            versions[i] = e.version();
            types[i] = e.happened().type();
            ats[i] = SessionTable.utc(e.at());
            payloads[i] = EventCodec.payload(e);
        }
        return tx.preparedQuery(INSERT)
                .execute(Tuple.of(stores, keys, versions, types, ats).addValue(payloads))
                .map(rows -> rows.rowCount());
    }
}
