package com.redfour.shopping.event.store;

import com.redfour.shopping.db.BoundedPool;
import com.redfour.shopping.session.store.EventsCommitted;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import io.vertx.core.Vertx;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Tells live event streams on every replica that a store has new events. A replica that wrote events
 * wakes its own streams at once and, after the write committed, sends one PostgreSQL {@code NOTIFY}
 * per store for all it wrote within {@link #COALESCE_MS} (outside the change's transaction, so that
 * NOTIFY's commit-time lock never slows a change). Every replica that has a stream open listens; the
 * LISTEN connection is opened by the first stream and re-opened after the database comes back.
 * Streams also look for events on their own every second, so a lost notification costs a second.
 */
@Singleton
public class EventSignal {

    static final String CHANNEL = "redfour_events";
    static final long COALESCE_MS = 20;
    /** A wake-up for every store's streams: NOTIFYs may have been missed while LISTEN was not connected. */
    private static final String EVERY_STORE = "";
    private static final Logger LOG = Logger.getLogger(EventSignal.class);
    private static final String NOTIFY = "SELECT pg_notify('" + CHANNEL + "', store) FROM unnest($1::text[]) AS store";

    private final Vertx vertx;
    private final Pool pool;
    private final BoundedPool connections;
    private final BroadcastProcessor<String> broadcast = BroadcastProcessor.create();
    // signals come from any thread (writes, the LISTEN connection): serialised, as a processor needs
    private final SerializedProcessor<String, String> wakes = broadcast.serialized();
    private final Set<String> toNotify = new LinkedHashSet<>();
    private boolean notifyScheduled;
    private PgSubscriber subscriber;

    EventSignal(Vertx vertx, Pool pool, BoundedPool connections) {
        this.vertx = vertx;
        this.pool = pool;
        this.connections = connections;
    }

    /** Events of a store were committed by this replica (by a change or by a scan). */
    void committed(@Observes EventsCommitted committed) {
        String store = committed.store();
        wakes.onNext(store);
        synchronized (this) {
            toNotify.add(store);
            if (notifyScheduled) {
                return;
            }
            notifyScheduled = true;
        }
        vertx.setTimer(COALESCE_MS, ignored -> notifyOthers());
    }

    /** A signal whenever {@code store} may have new events (from this replica or any other). */
    public Multi<String> wakes(String store) {
        listen();
        return broadcast.select().where(signalled -> signalled.equals(store) || signalled.equals(EVERY_STORE));
    }

    /**
     * A signal whenever any store may have new events; the caller should also call {@link #listen()}
     * now and then (the first call may come before the database pool exists).
     */
    public Multi<String> wakesEveryStore() {
        listen();
        return broadcast;
    }

    private void notifyOthers() {
        String[] stores;
        synchronized (this) {
            stores = toNotify.toArray(new String[0]);
            toNotify.clear();
            notifyScheduled = false;
        }
        pool.preparedQuery(NOTIFY).execute(Tuple.of((Object) stores)).subscribe().with(
                ignored -> { },
                failure -> LOG.debugf("could not notify other replicas of new events: %s", failure.getMessage()));
    }

    /** Makes sure this replica hears other replicas' NOTIFYs (once; again after a failed attempt). */
    public synchronized void listen() {
        if (subscriber != null) {
            return;
        }
        var options = connections.connectOptions();
        if (options == null) {
            return; // no pool yet: the next stream tries again; meanwhile streams poll
        }
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(attempts -> 1000L);
        // once LISTEN is in place (first time and after every reconnect), every stream looks again:
        // whatever was notified before that was not heard
        subscriber.channel(CHANNEL).handler(wakes::onNext).subscribeHandler(ignored -> wakes.onNext(EVERY_STORE));
        PgSubscriber opening = subscriber;
        opening.connect().onFailure(failure -> {
            LOG.debugf("LISTEN failed (streams poll meanwhile; the next stream tries again): %s", failure.getMessage());
            forget(opening);
        });
    }

    private synchronized void forget(PgSubscriber failed) {
        if (subscriber == failed) {
            subscriber = null;
        }
    }

    synchronized void close(@Observes ShutdownEvent stopped) {
        if (subscriber != null) {
            subscriber.close();
        }
    }
}
