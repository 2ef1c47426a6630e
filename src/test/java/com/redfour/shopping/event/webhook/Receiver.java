package com.redfour.shopping.event.webhook;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A webhook receiver on 127.0.0.1 for the tests: records every request and answers with the status
 * {@code answer} gives for it. Waiting on it is bounded by a deadline, never a fixed sleep.
 */
public final class Receiver implements AutoCloseable {

    /** One request as received. */
    public record Request(Map<String, String> headers, String body, Instant at, int answered) {
        public String header(String name) {
            return headers.get(name.toLowerCase());
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new ArrayList<>();
    private volatile BiFunction<String, String, Integer> answer;
    private final Map<String, Boolean> inFlight = new ConcurrentHashMap<>();
    private volatile boolean overlapped;

    public Receiver(Function<String, Integer> answer) throws IOException {
        this((path, body) -> answer.apply(body));
    }

    /** A receiver whose answer depends on the request's path (several subscriptions on one host) and body. */
    public Receiver(BiFunction<String, String, Integer> answer) throws IOException {
        this.answer = answer;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new ConcurrentHashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
            headers.put(":path", exchange.getRequestURI().toString());
            headers.put(":method", exchange.getRequestMethod());
            String session = sessionOf(body);
            if (inFlight.putIfAbsent(session, true) != null) {
                overlapped = true;
            }
            int status;
            try {
                status = this.answer.apply(exchange.getRequestURI().getPath(), body);
            } finally {
                inFlight.remove(session);
            }
            synchronized (requests) {
                requests.add(new Request(headers, body, Instant.now(), status));
                requests.notifyAll();
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    public static Receiver ok() throws IOException {
        return new Receiver(body -> 204);
    }

    public void answer(Function<String, Integer> answer) {
        this.answer = (path, body) -> answer.apply(body);
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** Whether two requests for one session were ever being handled at once. */
    public boolean overlapped() {
        return overlapped;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Waits until the requests satisfy {@code done}, at most {@code deadline}; answers them either way. */
    public List<Request> await(Predicate<List<Request>> done, Duration deadline) throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        synchronized (requests) {
            while (!done.test(requests)) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                requests.wait(Math.max(1, left / 1_000_000));
            }
            return List.copyOf(requests);
        }
    }

    /** The session key a delivered event is about. */
    public static String sessionOf(String body) {
        int at = body.indexOf("\"sessionKey\"");
        if (at < 0) {
            return "";
        }
        int start = body.indexOf('"', body.indexOf(':', at) + 1) + 1;
        return body.substring(start, body.indexOf('"', start));
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
