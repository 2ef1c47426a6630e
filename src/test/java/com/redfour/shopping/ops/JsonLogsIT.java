package com.redfour.shopping.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.support.Api;
import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged service in the prod profile, as a log collector sees it: after a walk-through of the
 * API with some failures, every line it printed is one JSON object with level, message and logger,
 * request lines carry the caller's trace id, and no session key or member id appears anywhere. No
 * collector is configured, and nothing complains about that.
 */
class JsonLogsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private int port;

    @Test
    void everyLineIsJsonWithTraceIdsAndNoSecrets() throws Exception {
        PackagedApp app = PackagedApp.on(TestDatabase.fresh("jsonlogs"))
                // export (into nothing) every 100 ms, so that an exporter complaining would have done so
                .env("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "PT0.1S");
        port = app.port();
        String key = Api.newKey();
        String member = "member-" + Api.newKey();
        String traceId = hex(16);
        String output;
        List<String> secrets = new ArrayList<>(List.of(key, member));
        try (PackagedApp.Serving serving = app.serve("json-logs")) {
            assertThat(serving.firstPut(Duration.ofSeconds(90)).status()).isEqualTo(201);
            assertThat(send("PUT", key, "", "{\"landing\":\"/rockets\"}", null)).isEqualTo(201);
            assertThat(send("POST", key, "/items", "{\"sku\":\"RKT-1\",\"name\":\"Falcon\",\"price\":19.99,\"quantity\":2}", null)).isEqualTo(200);
            assertThat(send("PATCH", key, "/items/RKT-1", "{\"quantity\":3}", null)).isEqualTo(200);
            assertThat(send("POST", key, "/discounts", "{\"code\":\"TENOFF\",\"percentOff\":10}", null)).isEqualTo(200);
            assertThat(send("PUT", key, "/member", "{\"memberId\":\"" + member + "\"}", null)).isEqualTo(200);
            assertThat(send("GET", key, "", null, null)).isEqualTo(200);
            // failures, each logged
            assertThat(send("POST", key, "/items", "{\"sku\":\"RKT-2\",\"name\":\"Bad\",\"price\":-1}", null)).isEqualTo(422);
            assertThat(send("DELETE", key, "/discounts/NOPE", null, null)).isEqualTo(404);
            String unknown = Api.newKey();
            secrets.add(unknown);
            assertThat(send("GET", unknown, "", null, "00-" + traceId + "-" + hex(8) + "-01")).isEqualTo(404);
            assertThat(get("/v1/stores/demo/members/" + member + "/sessions")).isEqualTo(200);
            assertThat(send("DELETE", key, "", null, null)).isEqualTo(204);
            // every export the processor attempted has happened by the time the process has stopped
            serving.close();
            output = serving.output();
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.lines().filter(l -> !l.isBlank()).toList()) {
            JsonNode node = JSON.readTree(line); // throws if a line is not JSON
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.path("level").asText()).as(line).isNotEmpty();
            assertThat(node.path("message").asText()).as(line).isNotEmpty();
            assertThat(node.path("loggerName").asText()).as(line).isNotEmpty();
            lines.add(node);
        }
        assertThat(lines).hasSizeGreaterThan(5);
        for (String secret : secrets) {
            assertThat(output).doesNotContain(secret);
        }
        // (Micrometer's warning about the pool gauge registered twice predates tracing; it is not ours to judge here)
        assertThat(lines).noneMatch(l -> l.path("level").asText().matches("WARN|WARNING|ERROR|SEVERE")
                && (l.path("loggerName").asText().contains("opentelemetry") || l.path("message").asText().toLowerCase().contains("export")));

        JsonNode traced = lines.stream().filter(l -> l.path("mdc").path("traceId").asText().equals(traceId)).findFirst()
                .orElseThrow(() -> new AssertionError("no line with trace id " + traceId + " in\n" + output));
        System.out.println("JSON log line of a failed request:\n" + traced);
        assertThat(traced.path("loggerName").asText()).isEqualTo("com.redfour.shopping.requests");
        assertThat(traced.path("mdc").path("spanId").asText()).hasSize(16);
        assertThat(traced.path("mdc").path("http.response.status_code").asText()).isEqualTo("404");
        assertThat(traced.path("mdc").path("problem.type").asText()).isEqualTo("/problems/not-found");
        assertThat(traced.path("mdc").path("url.path").asText()).matches("/v1/stores/demo/sessions/#[0-9a-f]{12}");
        assertThat(lines).anyMatch(l -> l.path("mdc").path("problem.type").asText().equals("/problems/validation-failed"));
    }

    private int send(String method, String key, String below, String body, String traceparent) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + Api.session(key) + below))
                .header("Authorization", "Bearer " + Api.KEY)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (traceparent != null) {
            request.header("traceparent", traceparent);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private int get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + Api.KEY).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(b);
        b[0] |= 1;
        return HexFormat.of().formatHex(b);
    }
}
