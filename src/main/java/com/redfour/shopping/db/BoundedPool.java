package com.redfour.shopping.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Creates the reactive pool with bounded waits, so that a database that is down, unreachable or
 * saturated costs a request a few seconds and a 503, never a hang. Quarkus has no properties for
 * these two timeouts (its defaults are Vert.x's: 60 s to connect, 30 s to wait for a connection),
 * so they are set here, on the options Quarkus built from {@code quarkus.datasource.reactive.*}.
 */
@Singleton
public class BoundedPool implements PgPoolCreator {

    /** The longest statement (in characters) whose prepared form each connection keeps. */
    static final int PREPARED_STATEMENT_CACHE_SQL_LIMIT = 8192;

    private final Duration connectTimeout;
    private final Duration acquireTimeout;
    private final int maxWaitQueue;
    private volatile PgConnectOptions connectOptions;

    public BoundedPool(
            @ConfigProperty(name = "redfour.database.connect-timeout", defaultValue = "PT2S") Duration connectTimeout,
            @ConfigProperty(name = "redfour.database.acquire-timeout", defaultValue = "PT2S") Duration acquireTimeout,
            @ConfigProperty(name = "redfour.database.max-wait-queue", defaultValue = "1000") int maxWaitQueue) {
        this.connectTimeout = connectTimeout;
        this.acquireTimeout = acquireTimeout;
        this.maxWaitQueue = maxWaitQueue;
    }

    @Override
    public Pool create(Input input) {
        PoolOptions pool = input.poolOptions()
                .setConnectionTimeout((int) acquireTimeout.toMillis())
                .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setMaxWaitQueueSize(maxWaitQueue);
        for (PgConnectOptions target : input.pgConnectOptionsList()) {
            target.setConnectTimeout((int) connectTimeout.toMillis());
            // Prepared statements are cached per connection only up to this length (Vert.x: 2,048
            // characters by default); the webhook courier's run step is longer, and re-planning it on
            // every delivery made it the courier's bottleneck (bench/webhooks.sh, docs/webhooks.md).
            target.setPreparedStatementCacheSqlLimit(PREPARED_STATEMENT_CACHE_SQL_LIMIT);
        }
        connectOptions = new PgConnectOptions(input.pgConnectOptionsList().get(0));
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), pool);
    }

    /** How the pool connects (for a connection of its own, such as a LISTEN); null before the pool exists. */
    public PgConnectOptions connectOptions() {
        return connectOptions == null ? null : new PgConnectOptions(connectOptions);
    }
}
