package com.redfour.shopping.event.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;

/**
 * The SSRF guard: resolves a webhook URL's host (on a worker thread: the JDK resolver blocks) and
 * refuses it if any address it resolves to is not public, unless {@code redfour.webhooks.allow-private}.
 * Checked when a subscription is saved and again before every attempt, since DNS can change; the
 * attempt then connects to the address that was checked.
 */
@ApplicationScoped
public class Destinations {

    private static final Duration RESOLVE_TIMEOUT = Duration.ofSeconds(5);

    /** Where to connect, or why not. */
    public record Checked(InetAddress address, String refusal) {
        public boolean refused() {
            return refusal != null;
        }
    }

    private final Vertx vertx;
    private final boolean allowPrivate;

    public Destinations(Vertx vertx, WebhookSettings settings) {
        this.vertx = vertx;
        this.allowPrivate = settings.allowPrivate();
    }

    /** The address to send to, or the reason the URL's host is refused. Never fails. */
    public Uni<Checked> check(WebhookUrl url) {
        Uni<InetAddress[]> lookup = vertx.executeBlocking(
                Uni.createFrom().item(() -> resolve(url.host())), false);
        return lookup.ifNoItem().after(RESOLVE_TIMEOUT).fail()
                .map(this::judge)
                .onFailure().recoverWithItem(e -> new Checked(null, "host " + url.host() + " could not be resolved"));
    }

    private Checked judge(InetAddress[] addresses) {
        if (!allowPrivate) {
            for (InetAddress address : addresses) {
                Optional<String> refusal = AddressRanges.refusal(address);
                if (refusal.isPresent()) {
                    return new Checked(null, "host resolves to a " + refusal.get() + " address, which webhooks may not reach");
                }
            }
        }
        return new Checked(addresses[0], null);
    }

    private static InetAddress[] resolve(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host", e);
        }
    }
}
