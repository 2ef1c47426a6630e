package com.redfour.shopping.db;

import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The failures that mean "the database cannot serve us now" (503, try again) against those that are
 * bugs (500). Each unavailable case is one the fault tests (DatabaseOutageIT, PoolExhaustionIT)
 * produce for real; here they are pinned down one by one.
 */
class UnavailabilityTest {

    @Test
    void aDatabaseThatIsDownOrGoingDownIsUnavailable() {
        assertTrue(Unavailability.isDatabaseUnavailable(new ConnectException("Connection refused")));
        assertTrue(Unavailability.isDatabaseUnavailable(pg("57P01", "terminating connection due to administrator command")));
        assertTrue(Unavailability.isDatabaseUnavailable(pg("57P03", "the database system is starting up")));
        assertTrue(Unavailability.isDatabaseUnavailable(pg("08006", "connection failure")));
        assertTrue(Unavailability.isDatabaseUnavailable(pg("53300", "too many connections")));
        assertTrue(Unavailability.isDatabaseUnavailable(ClosedConnectionException.INSTANCE));
    }

    @Test
    void aDatabaseTooBusyToAnswerInTimeIsUnavailable() {
        assertTrue(Unavailability.isDatabaseUnavailable(new VertxException("Timeout waiting for connection", true)),
                "the pool's acquire timeout");
        assertTrue(Unavailability.isDatabaseUnavailable(new ConnectionPoolTooBusyException("too many waiters")),
                "the pool's wait queue is full");
        assertTrue(Unavailability.isDatabaseUnavailable(pg("57014", "canceling statement due to statement timeout")),
                "the statement timeout");
    }

    @Test
    void causesAreFollowed() {
        assertTrue(Unavailability.isDatabaseUnavailable(new CompletionException(new ConnectException("refused"))));
    }

    @Test
    void bugsAreNotUnavailability() {
        assertFalse(Unavailability.isDatabaseUnavailable(new NullPointerException()));
        assertFalse(Unavailability.isDatabaseUnavailable(new IllegalStateException("a bug")));
        assertFalse(Unavailability.isDatabaseUnavailable(pg("42P01", "relation does not exist")), "a schema bug is a 500");
        assertFalse(Unavailability.isDatabaseUnavailable(pg("23505", "duplicate key")), "a constraint violation is a 500");
        assertFalse(Unavailability.isDatabaseUnavailable(new VertxException("something else", true)));
    }

    private static PgException pg(String sqlState, String message) {
        return new PgException(message, "ERROR", sqlState, null);
    }
}
