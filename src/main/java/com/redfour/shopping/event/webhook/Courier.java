package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventSignal;
import com.redfour.shopping.event.webhook.DeliveryQueue.Busy;
import com.redfour.shopping.event.webhook.DeliveryQueue.Delivery;
import com.redfour.shopping.event.webhook.DeliveryQueue.Queue;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers webhooks from every replica. A commit on any replica (the event signal), or the poll
 * interval as a floor, wakes a pump: it fans new events out into deliveries and claims the
 * (subscription, session) queues that are due, as many as this replica has runs free. Each run
 * sends its session's deliveries one after another, oldest first, each as soon as the previous one
 * was answered, until the queue is empty or an attempt fails. Runs on timers and callbacks, apart
 * from any request: a change request never waits for it.
 */
@ApplicationScoped
public class Courier {

    private static final Logger LOG = Logger.getLogger(Courier.class);
    /** Stores a pump fans out first, at most (the rest wait their turn by when they were last visited). */
    private static final int MAX_WOKEN_STORES = 1000;

    private final Vertx vertx;
    private final DeliveryQueue queue;
    private final Sender sender;
    private final EventSignal signal;
    private final WebhookSettings settings;
    private final WebhookMetrics metrics;
    private final boolean serving;
    private final List<Long> timers = new ArrayList<>();
    private Cancellable wakes;
    private volatile String lastProblem;

    /** A subscription, as the key of the runs sending to it. */
    private record Endpoint(String store, String webhookId) {
    }

    // guarded by this: the pump's state and what this replica's runs hold
    private boolean stopped;
    private boolean pumpScheduled;
    private boolean pumping;
    private boolean again;
    private final Set<String> woken = new LinkedHashSet<>();
    private final Map<Endpoint, Integer> runsBySubscription = new HashMap<>();
    private final Map<String, Integer> runsByClaim = new HashMap<>();

    public Courier(Vertx vertx, DeliveryQueue queue, Sender sender, EventSignal signal, WebhookSettings settings,
            WebhookMetrics metrics, @CommandLineArguments String[] arguments) {
        // The commands (purge, migrate: see Main) run and exit; only a serving process delivers.
        this.serving = arguments.length == 0;
        this.vertx = vertx;
        this.queue = queue;
        this.sender = sender;
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
        wakes = signal.wakesEveryStore().subscribe().with(this::wake);
    }

    void stop(@Observes ShutdownEvent stopping) {
        List<String> held;
        synchronized (this) {
            stopped = true;
            held = List.copyOf(runsByClaim.keySet());
        }
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
        int free;
        List<Busy> busy = new ArrayList<>();
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
            free = Math.max(1, settings.concurrency()) - runsBySubscription.values().stream().mapToInt(Integer::intValue).sum();
            runsBySubscription.forEach((subscription, runs) -> busy.add(new Busy(subscription.store(), subscription.webhookId(), runs)));
        }
        signal.listen();
        String claim = UUID.randomUUID().toString();
        AtomicBoolean fanOutMore = new AtomicBoolean();
        queue.fanOut(settings.fanOutSubscriptions(), settings.fanOutEvents(), stores)
                .flatMap(fanned -> {
                    // Another run soon if this one may have left events: it reached its limits and found
                    // work, or it was woken for a commit while transactions running kept events out of sight
                    // (once: a long transaction holding the horizon is left to the poll).
                    fanOutMore.set(fanned.full() && fanned.queued() > 0 || fanned.heldBack() && (stores.length > 0 || fanned.queued() > 0));
                    return free <= 0 ? Uni.createFrom().item(List.<Step>of())
                            : queue.claim(free, Math.max(1, settings.perSubscription()), busy, settings.lease(), claim);
                })
                .subscribe().with(steps -> {
                    lastProblem = null;
                    steps.forEach(this::began);
                    boolean more;
                    synchronized (this) {
                        pumping = false;
                        // woken meanwhile, or the fan-out may have left events for another run
                        more = again || fanOutMore.get();
                    }
                    steps.forEach(this::go);
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

    /**
     * One turn of a run: send the next delivery; or, when none was found but the queue is still there
     * (something was queued since the run looked), look again.
     */
    private void go(Step step) {
        Queue held = step.queue();
        Delivery next = step.next();
        if (next == null) {
            take(queue.next(step, null, settings.lease()), held);
            return;
        }
        long began = System.nanoTime();
        sender.send(next).subscribe().with(attempt -> {
            if (attempt.delivered()) {
                metrics.delivered(Duration.between(next.eventAt(), Instant.now()));
                take(queue.next(step, next, settings.lease()), held);
            } else {
                recordFailure(held, next, attempt, Duration.ofNanos(System.nanoTime() - began));
            }
        }, failure -> broke(held, failure));
    }

    /** Goes on with the step {@code asked} answers, unless the run is over or the replica stops. */
    private void take(Uni<Step> asked, Queue held) {
        asked.subscribe().with(step -> {
            if (step == null || isStopped()) {
                ended(held);
            } else {
                go(step);
            }
        }, failure -> broke(held, failure));
    }

    private void recordFailure(Queue held, Delivery delivery, Sender.Attempt attempt, Duration took) {
        Duration retryIn = settings.backoff().afterWithJitter(delivery.attempts() + 1, ThreadLocalRandom.current().nextDouble());
        queue.attemptFailed(held, delivery, attempt.status(), attempt.error(), took, retryIn, settings.giveUpAfter())
                .subscribe().with(state -> {
                    if ("failed".equals(state)) {
                        metrics.failed();
                    } else if (state != null) {
                        metrics.retrying();
                    }
                    ended(held);
                }, failure -> broke(held, failure));
    }

    private synchronized void began(Step step) {
        Queue held = step.queue();
        runsBySubscription.merge(new Endpoint(held.store(), held.webhookId()), 1, Integer::sum);
        runsByClaim.merge(held.claim(), 1, Integer::sum);
    }

    /** The run is over (its queue deleted, released, or lost): a run is free, so look for more. */
    private void ended(Queue held) {
        synchronized (this) {
            runsBySubscription.computeIfPresent(new Endpoint(held.store(), held.webhookId()), (key, runs) -> runs == 1 ? null : runs - 1);
            runsByClaim.computeIfPresent(held.claim(), (key, runs) -> runs == 1 ? null : runs - 1);
        }
        wake(null);
    }

    /** The database failed mid-run: the queue stays leased until the lease runs out, then it is taken again. */
    private void broke(Queue held, Throwable failure) {
        complain(failure);
        ended(held);
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
        queue.adoptOrphans().subscribe().with(adopted -> {
            if (adopted > 0) {
                LOG.warnf("%d webhook queues were missing and have been opened again", adopted);
            }
        }, this::complain);
    }

    /** A database that is down fails every run: say so once per kind of failure, not on every pump. */
    private void complain(Throwable failure) {
        String problem = failure.getClass().getName() + ": " + failure.getMessage();
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            LOG.warnf("webhook delivery could not run: %s", problem);
        }
    }
}
