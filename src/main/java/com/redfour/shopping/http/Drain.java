package com.redfour.shopping.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Once the process is told to stop (SIGTERM), answers every new request with a 503 problem and
 * {@code Retry-After}, so that the storefront retries on another replica, while the requests already
 * in flight finish ({@code quarkus.shutdown.timeout} bounds how long they may take). Quarkus's own
 * graceful shutdown only waits for requests in flight: it still serves new ones meanwhile.
 *
 * <p>The signal is seen through a JVM shutdown hook, which runs as soon as SIGTERM arrives,
 * alongside the one in which Quarkus waits for the requests in flight.
 */
@Singleton
public class Drain {

    private final String problem;
    private final Thread hook = new Thread(this::begin, "drain-on-shutdown");
    private volatile boolean draining;
    private final CompletableFuture<Void> begun = new CompletableFuture<>();

    public Drain(ObjectMapper json) throws JsonProcessingException {
        this.problem = json.writeValueAsString(ProblemType.UNAVAILABLE.problem(
                "this instance is shutting down; try again"));
    }

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 1).handler(ctx -> {
            if (draining) {
                ctx.response().setStatusCode(503)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader("Retry-After", ProblemMapper.RETRY_AFTER_SECONDS)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(problem);
            } else {
                ctx.next();
            }
        });
    }

    void watch(@Observes StartupEvent started) {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    void forget(@Observes ShutdownEvent stopped) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the JVM is exiting: the hook has run
        }
    }

    /** From now on, new requests are refused (and long-lived responses, such as event streams, end). */
    void begin() {
        draining = true;
        begun.complete(null);
    }

    /** Completes when the process is told to stop: long-lived responses end then, so as not to hold the stop up. */
    public CompletionStage<Void> begun() {
        return begun.minimalCompletionStage(); // listeners cannot complete or cancel it for others
    }
}
