package com.redfour.shopping.event.webhook;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;

/**
 * Writes events into {@code session_event} as the write pipeline does (id = transaction id x 1000 +
 * place in the transaction), so that delivery can be tested on exactly the events a test chooses.
 */
final class Outbox {

    private static final String INSERT = """
            INSERT INTO session_event (store, id, session_key, version, type, at, payload)
            VALUES ($1, pg_current_xact_id()::text::bigint * 1000 + $2, $3, $4, $5, $6,
                    jsonb_build_object('type', $5::text, 'store', $1::text, 'sessionKey', $3::text, 'version', $4::bigint,
                                       'at', $7::text, 'data', '{}'::jsonb, 'session', '{}'::jsonb))
            RETURNING id
            """;

    private final Pool pool;

    Outbox(Pool pool) {
        this.pool = pool;
    }

    /** Writes one event of {@code session} at {@code version} in a transaction of its own; answers its id. */
    long write(String store, String session, long version, String type) {
        Instant at = Instant.now();
        return pool.withTransaction(tx -> tx.preparedQuery(INSERT)
                        .execute(Tuple.from(new Object[] {store, 1, session, version, type,
                                at.atOffset(java.time.ZoneOffset.UTC), at.toString()})))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(10));
    }
}
