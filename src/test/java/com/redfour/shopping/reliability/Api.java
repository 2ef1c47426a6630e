package com.redfour.shopping.reliability;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A minimal client of the service for fault tests: JSON in, status, headers and body out, timed. */
final class Api {

    /** Longer than any bounded wait in the service: a request that takes this long has hung. */
    static final Duration HANG = Duration.ofSeconds(15);

    private final PackagedService service;
    private final HttpClient client;

    Api(PackagedService service) {
        this.service = service;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** One answer of the service, and how long it took. */
    record Reply(int status, HttpHeaders headers, String body, long nanos) {

        boolean acknowledged() {
            return status >= 200 && status < 300;
        }

        /** The contract's answer while the database cannot be reached. */
        boolean unavailable() {
            return status == 503
                    && headers.firstValue("Content-Type").orElse("").startsWith("application/problem+json")
                    && body.contains("\"type\":\"/problems/unavailable\"")
                    && headers.firstValue("Retry-After").isPresent();
        }

        long millis() {
            return nanos / 1_000_000;
        }
    }

    Reply send(String method, String path, String json) throws IOException, InterruptedException {
        return send(method, path, json, Map.of());
    }

    Reply send(String method, String path, String json, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path))
                .timeout(HANG)
                .header("Authorization", "Bearer " + PackagedService.API_KEY)
                .header("Accept", "application/json");
        headers.forEach(request::header);
        if (json == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        }
        long began = System.nanoTime();
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.headers(), response.body(), System.nanoTime() - began);
    }

    Reply get(String path) throws IOException, InterruptedException {
        return send("GET", path, null);
    }

    static String session(String key) {
        return "/v1/stores/demo/sessions/" + key;
    }
}
