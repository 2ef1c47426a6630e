package com.redfour.shopping.event.webhook;

import com.redfour.shopping.event.store.EventTable;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.net.SocketAddress;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.concurrent.TimeoutException;

/**
 * One attempt at one delivery: checks the URL and where it resolves to (the SSRF guard), signs the
 * event and POSTs it with the Vert.x Web Client. Knows nothing of the queue.
 */
@ApplicationScoped
public class Sender {

    private static final int MAX_ERROR_LENGTH = 500;

    /** What became of an attempt: {@code error} null when the receiver answered 2xx. */
    public record Attempt(Integer status, String error) {
        static final Attempt DELIVERED = new Attempt(null, null);

        static Attempt failed(Integer status, String error) {
            return new Attempt(status, error.length() > MAX_ERROR_LENGTH ? error.substring(0, MAX_ERROR_LENGTH) : error);
        }

        public boolean delivered() {
            return error == null;
        }
    }

    private final Vertx vertx;
    private final Destinations destinations;
    private final WebhookSettings settings;
    private volatile WebClient client;

    public Sender(Vertx vertx, Destinations destinations, WebhookSettings settings) {
        this.vertx = vertx;
        this.destinations = destinations;
        this.settings = settings;
    }

    /** Sends {@code delivery}; never fails (a failure is an attempt with its reason). */
    public Uni<Attempt> send(DeliveryQueue.Delivery delivery) {
        String body = delivery.body();
        if (body == null) {
            return failed(null, "the event is no longer kept");
        }
        WebhookUrl url;
        try {
            url = WebhookUrl.parse(delivery.url());
        } catch (WebhookUrl.Invalid e) {
            return failed(null, "url " + e.getMessage());
        }
        return destinations.check(url)
                .flatMap(checked -> checked.refused()
                        ? failed(null, "refused: " + checked.refusal())
                        : post(delivery, url, checked, body))
                .onFailure().recoverWithItem(failure -> Attempt.failed(null, describe(failure)));
    }

    private Uni<Attempt> post(DeliveryQueue.Delivery delivery, WebhookUrl url, Destinations.Checked checked, String body) {
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
        return client().request(HttpMethod.POST, server, options)
                .putHeader("Content-Type", "application/json")
                .putHeader("webhook-id", webhookId)
                .putHeader("webhook-timestamp", Long.toString(timestamp))
                .putHeader("webhook-signature", Signature.sign(delivery.secret(), webhookId, timestamp, body))
                .sendBuffer(Buffer.buffer(body))
                .ifNoItem().after(settings.timeout()).failWith(TimeoutException::new)
                .map(response -> response.statusCode() >= 200 && response.statusCode() < 300
                        ? Attempt.DELIVERED
                        : Attempt.failed(response.statusCode(), "the receiver answered " + response.statusCode()));
    }

    private WebClient client() {
        if (client == null) {
            synchronized (this) {
                if (client == null) {
                    client = WebClient.create(vertx, new WebClientOptions()
                            .setConnectTimeout((int) settings.timeout().toMillis())
                            .setFollowRedirects(false)
                            .setUserAgent("redfour-webhooks/1")
                            // a connection for every run this replica may have: the runs, not the
                            // connection pool, bound what is in flight (subscriptions may share a host)
                            .setMaxPoolSize(settings.runs()));
                }
            }
        }
        return client;
    }

    private static Uni<Attempt> failed(Integer status, String error) {
        return Uni.createFrom().item(Attempt.failed(status, error));
    }

    private static String describe(Throwable failure) {
        String name = failure.getClass().getSimpleName();
        if (name.contains("Timeout")) {
            return "no answer within the timeout";
        }
        String message = failure.getMessage();
        return message == null ? "the request failed (" + name + ")" : "the request failed: " + message;
    }
}
