package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.webhook.DeliveryQueue.Busy;
import com.redfour.shopping.event.webhook.DeliveryQueue.Delivery;
import com.redfour.shopping.event.webhook.DeliveryQueue.Queue;
import com.redfour.shopping.event.webhook.DeliveryQueue.Step;
import io.smallrye.mutiny.Uni;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The courier's runs, one per claimed (subscription, session) queue: each sends its session's
 * deliveries one after another, oldest first, each as soon as the previous one was answered, until
 * the queue is empty (then it goes on with the subscription's next due queue) or an attempt fails.
 * Counts what the runs hold, so that the pump claims no more than there are runs free.
 */
final class Runs {

    /** A subscription, as the key of the runs sending to it. */
    private record Endpoint(String store, String webhookId) {
    }

    private final RunSteps steps;
    private final Sender sender;
    private final WebhookSettings settings;
    private final WebhookMetrics metrics;
    /** Whether the replica is stopping: then a run goes no further. */
    private final BooleanSupplier stopping;
    /** A run ended: one is free, so the courier looks for more. */
    private final Runnable freed;
    private final Consumer<Throwable> complain;

    // guarded by this: what this replica's runs hold
    private final Map<Endpoint, Integer> runsBySubscription = new HashMap<>();
    private final Map<String, Integer> runsByClaim = new HashMap<>();

    Runs(RunSteps steps, Sender sender, WebhookSettings settings, WebhookMetrics metrics, BooleanSupplier stopping,
            Runnable freed, Consumer<Throwable> complain) {
        this.steps = steps;
        this.sender = sender;
        this.settings = settings;
        this.metrics = metrics;
        this.stopping = stopping;
        this.freed = freed;
        this.complain = complain;
    }

    /** What the runs are sending to, by subscription. */
    synchronized List<Busy> busy() {
        List<Busy> busy = new ArrayList<>();
        runsBySubscription.forEach((subscription, runs) -> busy.add(new Busy(subscription.store(), subscription.webhookId(), runs)));
        return busy;
    }

    /** The claims the runs hold their queues under. */
    synchronized List<String> claims() {
        return List.copyOf(runsByClaim.keySet());
    }

    /** Counts a run on the step's queue, before it {@link #go goes}. */
    synchronized void began(Step step) {
        Queue held = step.queue();
        runsBySubscription.merge(new Endpoint(held.store(), held.webhookId()), 1, Integer::sum);
        runsByClaim.merge(held.claim(), 1, Integer::sum);
    }

    /**
     * One turn of a run: send the step's deliveries one after another, each once the one before was
     * delivered, then take the next step (which records them); or, when the step found none but the
     * queue is still there (something was queued since the run looked), look again.
     */
    void go(Step step) {
        send(step, 0, new ArrayList<>(), System.nanoTime());
    }

    /**
     * Sends the step's delivery {@code index}, {@code delivered} those before it. The run goes on with
     * the step's deliveries only while an attempt begun now would end in the first half of the lease
     * (a step renews it only once half has passed): a slow receiver cannot outlast the lease mid-batch.
     */
    private void send(Step step, int index, List<Long> delivered, long stepRead) {
        Queue held = step.queue();
        long leaseLeft = settings.lease().toNanos() / 2 - (System.nanoTime() - stepRead);
        if (index == step.next().size() || index > 0 && (leaseLeft <= settings.timeout().toNanos() || stopping.getAsBoolean())) {
            take(steps.next(step, delivered, settings.lease(), settings.deliveriesPerStep()), held);
            return;
        }
        Delivery next = step.next().get(index);
        long began = System.nanoTime();
        sender.send(next).subscribe().with(attempt -> {
            if (attempt.delivered()) {
                metrics.delivered(Duration.between(next.eventAt(), Instant.now()));
                delivered.add(next.eventId());
                send(step, index + 1, delivered, stepRead);
            } else {
                recordFailure(held, next, attempt, Duration.ofNanos(System.nanoTime() - began), delivered);
            }
        }, failure -> broke(held, failure));
    }

    /** Goes on with the step {@code asked} answers, unless the run is over or the replica stops. */
    private void take(Uni<Step> asked, Queue held) {
        asked.subscribe().with(step -> {
            if (step == null || stopping.getAsBoolean()) {
                ended(held);
            } else {
                go(step);
            }
        }, failure -> broke(held, failure));
    }

    private void recordFailure(Queue held, Delivery delivery, Sender.Attempt attempt, Duration took, List<Long> deliveredBefore) {
        Duration retryIn = settings.backoff().afterWithJitter(delivery.attempts() + 1, ThreadLocalRandom.current().nextDouble());
        steps.attemptFailed(held, delivery, attempt.status(), attempt.error(), took, retryIn, settings.giveUpAfter(), deliveredBefore)
                .subscribe().with(state -> {
                    if ("failed".equals(state)) {
                        metrics.failed();
                    } else if (state != null) {
                        metrics.retrying();
                    }
                    ended(held);
                }, failure -> broke(held, failure));
    }

    /** The run is over (its queue deleted, released, or lost): a run is free, so look for more. */
    private void ended(Queue held) {
        synchronized (this) {
            runsBySubscription.computeIfPresent(new Endpoint(held.store(), held.webhookId()), (key, runs) -> runs == 1 ? null : runs - 1);
            runsByClaim.computeIfPresent(held.claim(), (key, runs) -> runs == 1 ? null : runs - 1);
        }
        freed.run();
    }

    /** The database failed mid-run: the queue stays leased until the lease runs out, then it is taken again. */
    private void broke(Queue held, Throwable failure) {
        complain.accept(failure);
        ended(held);
    }
}
