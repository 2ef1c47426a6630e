package com.redfour.shopping.db;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Tells a database that cannot be reached (503, try again) from a bug (500), and turns the former into
 * {@link StoreUnavailable} wherever the service talks to the database ({@link #guarded}).
 */
public final class Unavailability {

    // SQLSTATE classes: 08 connection exception, 53 insufficient resources, 57 operator intervention
    // (admin shutdown, crash shutdown, cannot connect now), 58 system error.
    // 57014 (query_canceled) is how statement_timeout ends a statement that waited too long.
    private static final Set<String> UNAVAILABLE_SQLSTATE_CLASSES = Set.of("08", "53", "57", "58");
    // The message Vert.x's SQL pool fails an acquisition with when its connection timeout expires.
    private static final String POOL_TIMEOUT = "Timeout waiting for connection";

    private Unavailability() {
    }

    /** Database failures leave {@code work} as {@link StoreUnavailable}, and nothing else does. */
    public static <T> Uni<T> guarded(Uni<T> work) {
        return work.onFailure(Unavailability::isDatabaseUnavailable).transform(StoreUnavailable::new);
    }

    static boolean isDatabaseUnavailable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PgException pg) {
                String state = pg.getSqlState();
                return state != null && state.length() >= 2 && UNAVAILABLE_SQLSTATE_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof ConnectException || t instanceof TimeoutException || waitedTooLongForConnection(t)
                    || t instanceof io.vertx.sqlclient.ClosedConnectionException
                    || t instanceof io.netty.channel.ConnectTimeoutException
                    || t instanceof java.io.IOException
                    || t.getClass().getName().equals("io.vertx.core.impl.NoStackTraceThrowable")
                    || t.getClass().getName().equals("io.vertx.core.impl.NoStackTraceTimeoutException")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pool's bounded waits (see {@code BoundedPool}): no connection became free within the
     * acquire timeout, or too many requests were already waiting for one.
     */
    private static boolean waitedTooLongForConnection(Throwable t) {
        return t instanceof io.vertx.core.http.ConnectionPoolTooBusyException
                || t instanceof io.vertx.core.VertxException && POOL_TIMEOUT.equals(t.getMessage());
    }
}
