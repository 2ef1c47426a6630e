package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Happened;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions put in the real table without HTTP, for the tests of the table and of what reads it. */
public final class StoredSessions {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private StoredSessions() {
    }

    /** Inserts {@code session} as a new row, with its session.created event, and answers the row as read back at {@code now}. */
    public static Row.Live insert(SessionTable table, Session session, Instant now) {
        assertThat(table.save(Row.ABSENT, Row.Live.of(session), Optional.empty(),
                List.of(PendingEvent.of(Happened.of("session.created"), session)), now).await().atMost(WAIT)).isTrue();
        return (Row.Live) table.load(session.id(), now).await().atMost(WAIT);
    }

    /**
     * Inserts a row as an earlier version of the service wrote it: {@code document} as it stored it
     * (the JSON's "AT" stands for {@code created} in epoch milliseconds), nothing in the columns this
     * version added.
     */
    public static void insertAsWritten(Pool pool, SessionId id, long version, Instant created, Duration ttl, String document) {
        pool.preparedQuery("INSERT INTO session (store, key, version, status, member_id, created_at, updated_at, expires_at,"
                        + " document, applied_keys) VALUES ($1, $2, $3, 'open', null, $4, $4, $5, $6::text::jsonb, '[]')")
                .execute(Tuple.of(id.store(), id.key(), version, created.atOffset(ZoneOffset.UTC),
                        created.plus(ttl).atOffset(ZoneOffset.UTC), document.replace("AT", Long.toString(created.toEpochMilli()))))
                .await().atMost(WAIT);
    }
}
