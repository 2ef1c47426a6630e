package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventTable;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.annotations.CommandLineArguments;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers webhooks from every replica: on each tick it fans new events out into deliveries, claims
 * the deliveries that may be sent now and POSTs each, signed, to its subscription's URL, then
 * records the outcome. Runs on timers, apart from any request: a change request never waits for it.
 */
@ApplicationScoped
public class Courier {

    private static final Logger LOG = Logger.getLogger(Courier.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private final Vertx vertx;
    private final DeliveryQueue queue;
    private final Destinations destinations;
    private final WebhookSettings settings;
    private final WebhookMetrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean stopped;
    private WebClient client;
    private long tickTimer = -1;
    private long metricsTimer = -1;
    private volatile String lastProblem;
    private final boolean serving;

    public Courier(Vertx vertx, DeliveryQueue queue, Destinations destinations, WebhookSettings settings,
            WebhookMetrics metrics, @CommandLineArguments String[] arguments) {
        // The commands (purge, migrate: see Main) run and exit; only a serving process delivers.
        this.serving = arguments.length == 0;
        this.vertx = vertx;
        this.queue = queue;
        this.destinations = destinations;
        this.settings = settings;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent started) {
        if (!settings.enabled() || !serving) {
            return;
        }
        client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout((int) settings.timeout().toMillis())
                .setFollowRedirects(false)
                .setUserAgent("redfour-webhooks/1"));
        tickTimer = vertx.setPeriodic(settings.pollInterval().toMillis(), id -> tick());
        metricsTimer = vertx.setPeriodic(settings.metricsInterval().toMillis(), id -> refreshMetrics());
    }

    void stop(@Observes ShutdownEvent stopping) {
        stopped = true;
        if (tickTimer >= 0) {
            vertx.cancelTimer(tickTimer);
            vertx.cancelTimer(metricsTimer);
        }
    }

    /** One run, unless the previous one is still going: fan out, then send what is due. */
    void tick() {
        if (stopped || !running.compareAndSet(false, true)) {
            return;
        }
        queue.fanOut(settings.fanOutSubscriptions(), settings.fanOutEvents())
                .flatMap(queued -> queue.claim(settings.batchSize(), settings.lease(), UUID.randomUUID().toString()))
                .flatMap(this::sendAll)
                .subscribe().with(sent -> {
                    running.set(false);
                    lastProblem = null;
                    if (sent >= settings.batchSize()) {
                        // A full batch: more may be due, so go again at once rather than on the next tick.
                        vertx.runOnContext(this::tick);
                    }
                }, failure -> {
                    running.set(false);
                    complain(failure);
                });
    }

    private Uni<Integer> sendAll(List<DeliveryQueue.Claimed> claimed) {
        if (claimed.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Uni<Void>> sends = claimed.stream().map(this::send).toList();
        return Uni.join().all(sends).andCollectFailures().map(done -> claimed.size())
                .onFailure().recoverWithItem(claimed.size());
    }

    /** Sends one delivery and records its outcome; never fails (a lost outcome is retried after the lease). */
    Uni<Void> send(DeliveryQueue.Claimed delivery) {
        String body = delivery.body();
        if (body == null) {
            return failed(delivery, null, "the event is no longer kept");
        }
        WebhookUrl url;
        try {
            url = WebhookUrl.parse(delivery.url());
        } catch (WebhookUrl.Invalid e) {
            return failed(delivery, null, "url " + e.getMessage());
        }
        return destinations.check(url).flatMap(checked -> checked.refused()
                ? failed(delivery, null, "refused: " + checked.refusal())
                : post(delivery, url, checked, body))
                .onFailure().recoverWithUni(e -> {
                    LOG.debugf("recording webhook attempt failed: %s", e.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> post(DeliveryQueue.Claimed delivery, WebhookUrl url, Destinations.Checked checked, String body) {
        String webhookId = EventTable.formatId(delivery.eventId());
        long timestamp = Instant.now().getEpochSecond();
        // Connect to the address the guard checked, so that DNS cannot change between check and send;
        // the Host header and TLS name stay the URL's.
        SocketAddress server = SocketAddress.inetSocketAddress(url.port(), checked.address().getHostAddress());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(url.host())
                .setPort(url.port())
                .setSsl(url.ssl())
                .setURI(url.requestUri())
                .setFollowRedirects(false)
                .setTimeout(settings.timeout().toMillis());
        return client.request(HttpMethod.POST, server, options)
                .putHeader("Content-Type", "application/json")
                .putHeader("webhook-id", webhookId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", Signature.sign(delivery.secret(), webhookId, timestamp, body))
                .sendBuffer(Buffer.buffer(body))
                .ifNoItem().after(settings.timeout()).failWith(() -> new java.util.concurrent.TimeoutException())
                .onItemOrFailure().transformToUni((response, failure) -> {
                    if (failure != null) {
                        return failed(delivery, null, describe(failure));
                    }
                    return outcome(delivery, response);
                });
    }

    private Uni<Void> outcome(DeliveryQueue.Claimed delivery, HttpResponse<Buffer> response) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return queue.delivered(delivery).map(recorded -> {
                metrics.delivered(Duration.between(delivery.eventAt(), Instant.now()));
                return null;
            });
        }
        return failed(delivery, status, "the receiver answered " + status);
    }

    private Uni<Void> failed(DeliveryQueue.Claimed delivery, Integer status, String error) {
        Duration retryIn = settings.backoff().afterWithJitter(delivery.attempts() + 1, ThreadLocalRandom.current().nextDouble());
        String reason = error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error;
        return queue.attemptFailed(delivery, status, reason, retryIn, settings.giveUpAfter()).map(state -> {
            if ("failed".equals(state)) {
                metrics.failed();
            } else if (state != null) {
                metrics.retrying();
            }
            return null;
        });
    }

    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return "no answer within the timeout";
        }
        String message = failure.getMessage();
        return message == null ? "the request failed (" + name + ")" : "the request failed: " + message;
    }

    private void refreshMetrics() {
        if (stopped) {
            return;
        }
        queue.backlog().subscribe().with(metrics::backlog, this::complain);
    }

    /** A database that is down fails every run: say so once per kind of failure, not on every tick. */
    private void complain(Throwable failure) {
        String problem = failure.getClass().getName() + ": " + failure.getMessage();
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            LOG.warnf("webhook delivery could not run: %s", problem);
        }
    }
}
