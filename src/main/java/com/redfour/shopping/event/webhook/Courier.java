package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventSignal;
import com.redfour.shopping.event.webhook.DeliveryQueue.Busy;
import com.redfour.shopping.event.webhook.DeliveryQueue.Step;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers webhooks from every replica. A commit on any replica (the event signal), or the poll
 * interval as a floor, wakes a pump: it fans new events out into deliveries and claims the
 * (subscription, session) queues that are due, as many as this replica has runs free, and starts a
 * run on each ({@link Runs}). Runs on timers and callbacks, apart from any request: a change request
 * never waits for it.
 */
@ApplicationScoped
class Courier {

    private static final Logger LOG = Logger.getLogger(Courier.class);
    /** Stores a pump fans out first, at most (the rest wait their turn by when they were last visited). */
    private static final int MAX_WOKEN_STORES = 1000;

    private final Vertx vertx;
    private final FanOut fanOut;
    private final DeliveryQueue queue;
    private final Runs runs;
    private final EventSignal signal;
    private final WebhookSettings settings;
    private final WebhookMetrics metrics;
    private final boolean serving;
    private final List<Long> timers = new ArrayList<>();
    private Cancellable wakes;
    private volatile String lastProblem;
    /** Whether this replica queued or claimed deliveries since it last vacuumed the queue table. */
    private final AtomicBoolean queueChurned = new AtomicBoolean();

    // guarded by this: the pump's state
    private boolean stopped;
    private boolean pumpScheduled;
    private boolean pumping;
    private boolean again;
    private final Set<String> woken = new LinkedHashSet<>();

    Courier(Vertx vertx, FanOut fanOut, DeliveryQueue queue, RunSteps steps, Sender sender, EventSignal signal,
            WebhookSettings settings, WebhookMetrics metrics, @CommandLineArguments String[] arguments) {
        // The commands (purge, migrate: see Main) run and exit; only a serving process delivers.
        this.serving = arguments.length == 0;
        this.vertx = vertx;
        this.fanOut = fanOut;
        this.queue = queue;
        this.runs = new Runs(steps, sender, settings, metrics, this::isStopped, () -> wake(null), this::complain);
        this.signal = signal;
        this.settings = settings;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent started) {
        if (!settings.enabled() || !serving) {
            return;
        }
        timers.add(vertx.setPeriodic(settings.pollInterval().toMillis(), id -> wake(null)));
        timers.add(vertx.setPeriodic(settings.metricsInterval().toMillis(), id -> housekeeping()));
        if (settings.vacuumInterval().toMillis() > 0) {
            timers.add(vertx.setPeriodic(settings.vacuumInterval().toMillis(), id -> vacuum()));
        }
        wakes = signal.wakesEveryStore().subscribe().with(this::wake);
    }

    void stop(@Observes ShutdownEvent stopping) {
        synchronized (this) {
            stopped = true;
        }
        List<String> held = runs.claims();
        timers.forEach(vertx::cancelTimer);
        if (wakes != null) {
            wakes.cancel();
        }
        if (!held.isEmpty()) {
            // give the queues of runs that stop here to the other replicas now rather than after the lease
            try {
                queue.release(held).await().atMost(Duration.ofSeconds(2));
            } catch (RuntimeException e) {
                LOG.debugf("could not release webhook queues on the way out (their leases run out): %s", e.toString());
            }
        }
    }

    /**
     * Something may be due ({@code store} has new events; null or "" when it is not known where):
     * pump soon, once for many wake-ups. The pump fans out the woken stores' subscriptions first.
     */
    void wake(String store) {
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (store != null && !store.isEmpty() && woken.size() < MAX_WOKEN_STORES) {
                woken.add(store);
            }
            if (pumping) {
                again = true;
                return;
            }
            if (pumpScheduled) {
                return;
            }
            pumpScheduled = true;
        }
        vertx.setTimer(Math.max(1, settings.wakeDelay().toMillis()), id -> pump());
    }

    /** Fans out, then claims as many due queues as there are free runs and starts a run on each. */
    private void pump() {
        List<Busy> busy;
        String[] stores;
        synchronized (this) {
            pumpScheduled = false;
            if (stopped) {
                return;
            }
            pumping = true;
            again = false;
            stores = woken.toArray(new String[0]);
            woken.clear();
            busy = runs.busy();
        }
        int free = settings.runs() - busy.stream().mapToInt(Busy::runs).sum();
        signal.listen();
        String claim = UUID.randomUUID().toString();
        AtomicBoolean fanOutMore = new AtomicBoolean();
        fanOut.fanOut(settings.fanOutSubscriptions(), settings.fanOutEvents(), stores)
                .flatMap(fanned -> {
                    // Another run soon if this one may have left events: it reached its limits and found
                    // work, or it was woken for a commit while transactions running kept events out of sight
                    // (once: a long transaction holding the horizon is left to the poll).
                    fanOutMore.set(fanned.full() && fanned.queued() > 0 || fanned.heldBack() && (stores.length > 0 || fanned.queued() > 0));
                    if (fanned.queued() > 0) {
                        queueChurned.set(true);
                    }
                    return free <= 0 ? Uni.createFrom().item(List.<Step>of())
                            : queue.claim(free, settings.runsPerSubscription(), busy, settings.lease(), claim,
                                    settings.deliveriesPerStep());
                })
                .subscribe().with(steps -> {
                    lastProblem = null;
                    if (!steps.isEmpty()) {
                        queueChurned.set(true);
                    }
                    steps.forEach(runs::began);
                    boolean more;
                    synchronized (this) {
                        pumping = false;
                        // woken meanwhile, or the fan-out may have left events for another run
                        more = again || fanOutMore.get();
                    }
                    steps.forEach(runs::go);
                    if (more) {
                        wake(null);
                    }
                }, failure -> {
                    synchronized (this) {
                        pumping = false;
                    }
                    complain(failure);
                });
    }

    private synchronized boolean isStopped() {
        return stopped;
    }

    /** The backlog gauges, and any pending delivery left without its queue (none, unless something went wrong). */
    private void housekeeping() {
        if (isStopped()) {
            return;
        }
        queue.backlog().subscribe().with(metrics::backlog, this::complain);
        fanOut.adoptOrphans().subscribe().with(adopted -> {
            if (adopted > 0) {
                LOG.warnf("%d webhook queues were missing and have been opened again", adopted);
            }
        }, this::complain);
    }

    /** The queue table's dead rows cleared, if this replica's work made some since the last time. */
    private void vacuum() {
        if (!isStopped() && queueChurned.getAndSet(false)) {
            queue.vacuum().subscribe().with(done -> { }, this::complain);
        }
    }

    /**
     * A database that is down fails every run: say so once per kind of failure, not on every pump. A
     * replica that is stopping closes its pool under a pump or run still going: nothing to warn about.
     */
    private void complain(Throwable failure) {
        String problem = failure.getClass().getName() + ": " + failure.getMessage();
        if (isStopped()) {
            LOG.debugf("webhook delivery stopped with the replica: %s", problem);
            return;
        }
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            LOG.warnf("webhook delivery could not run: %s", problem);
        }
    }
}
