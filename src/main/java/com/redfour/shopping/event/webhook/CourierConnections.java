package com.redfour.shopping.event.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How the courier's statements reach the pool that also serves the changes: the pump's at once (a
 * replica runs one pump at a time, and new work must not queue behind the runs' steps), every other
 * in turn, at most {@code redfour.webhooks.connections} at once ({@link Permits}).
 */
@Singleton
final class CourierConnections {

    private final Pool pool;
    private final Permits permits;

    CourierConnections(Pool pool, WebhookSettings settings,
            @ConfigProperty(name = "quarkus.datasource.reactive.max-size", defaultValue = "20") int poolSize) {
        this.pool = pool;
        this.permits = new Permits(settings.connections().orElse(poolSize * 2 / 5));
    }

    /** A pump's statement: it does not wait for a permit. */
    Uni<RowSet<Row>> now(String sql, Tuple values) {
        return pool.preparedQuery(sql).execute(values);
    }

    /** A prepared statement, once a permit is free. */
    Uni<RowSet<Row>> inTurn(String sql, Tuple values) {
        return permits.run(() -> pool.preparedQuery(sql).execute(values));
    }

    /** A statement without parameters, sent as it is (not prepared), once a permit is free. */
    Uni<RowSet<Row>> inTurn(String sql) {
        return permits.run(() -> pool.query(sql).execute());
    }
}
