package com.redfour.shopping.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static com.redfour.shopping.hostile.HostileCases.repeat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Hostile input to every endpoint, generated from a seed (printed; rerun one with
 * {@code -Dhostile.seed=N}, more cases with {@code -Dhostile.cases=N}), and each of the limits that
 * are enforced before any work is done. Whatever is sent: never a 5xx, never a stack trace, class
 * name or SQL in a response, and a rejected request leaves the session exactly as it was.
 */
@QuarkusTest
class HostileInputTest {

    static final String AUTHORIZATION = "Bearer demo-key";
    private static final long SEED = Long.getLong("hostile.seed", new SecureRandom().nextLong());
    private static final int CASES = Integer.getInteger("hostile.cases", 300);

    /** What a response must never contain unless the request itself did (then it is an echo). */
    private static final List<String> LEAKS = List.of(
            "exception", "\tat ", "at java.", "at io.", "at com.", "at org.", "java.lang", "java.util", "java.io",
            "io.vertx", "io.quarkus", "io.smallrye", "io.netty", "com.fasterxml", "com.redfour", "org.jboss",
            "org.postgresql", "jakarta.", "caused by", "select ", "insert into", "update session", "delete from",
            "sqlstate", "jsonb", "::text", "pgexception", "nullpointer", "classcast", "stacktrace", ".java:");

    @TestHTTPResource("/")
    URL base;

    private RawHttp http;
    private final ObjectMapper json = new ObjectMapper();

    /** Server log records that say a response was written twice or an error escaped as a 5xx. */
    private static final List<String> ESCAPED = new CopyOnWriteArrayList<>();
    private static final Handler WATCH = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String message = String.valueOf(record.getMessage()) + " " + record.getThrown();
            if (message.contains("already been written") || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
                ESCAPED.add(record.getLoggerName() + ": " + message);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void watchTheServerLog() {
        java.util.logging.Logger.getLogger("").addHandler(WATCH);
    }

    @AfterAll
    static void nothingEscapedIntoTheServerLog() {
        java.util.logging.Logger.getLogger("").removeHandler(WATCH);
        assertEquals(List.of(), ESCAPED, "errors the hostile requests caused on the server");
    }

    @BeforeEach
    void connect() {
        http = new RawHttp(base.getHost(), base.getPort());
    }

    @Test
    void hostileRequestsToEveryEndpointAreRejectedCleanlyAndWriteNothing() throws Exception {
        System.out.println("HostileInputTest: seed " + SEED + ", " + CASES + " cases (rerun with -Dhostile.seed=" + SEED + ")");
        HostileCases cases = new HostileCases(SEED);
        String key = openSession();
        JsonNode before = session(key);
        Map<Integer, Integer> statuses = new TreeMap<>();
        StringBuilder echoable = new StringBuilder();
        int rejected = 0;
        for (int i = 0; i < CASES; i++) {
            HostileCases.Endpoint endpoint = cases.endpoint();
            String store = "demo";
            String target = key;
            String sku = "SKU-1";
            String code = "SAVE1";
            String lineId = "l1";
            if (cases.nextInt(4) == 0) {
                String odd = cases.hostileSegment();
                switch (cases.nextInt(5)) {
                    case 0 -> store = odd;
                    case 1 -> target = odd;
                    case 2 -> sku = odd;
                    case 3 -> lineId = odd;
                    default -> code = odd;
                }
            }
            String path = "/v1/stores/" + store + "/sessions/" + target
                    + endpoint.path().replace("{sku}", sku).replace("{code}", code).replace("{lineId}", lineId)
                    + (cases.nextInt(30) == 0 ? "/" : cases.nextInt(30) == 0 ? "/extra" : "");
            byte[] body = cases.body(endpoint);
            RawHttp.Request request = new RawHttp.Request(cases.method(endpoint), path).header("Authorization", AUTHORIZATION);
            cases.headers(endpoint, body != null).forEach(request::header);
            if (body != null) {
                request.body(body);
            }
            String what = "case " + i + " of seed " + SEED + ": " + describe(request);

            RawHttp.Response response = http.send(request);
            statuses.merge(response.status(), 1, Integer::sum);
            assertClean(request, response, echoable, what);
            if (response.status() < 400) {
                // What an accepted request stored (a note, an attribute) is echoed by later answers about the
                // session: a hostile-looking word in them is the client's own text, not the server's internals.
                echoable.append('\n').append(request.sentText().toLowerCase(Locale.ROOT));
            }

            JsonNode after = sessionOrNull(key);
            if (response.status() >= 400) {
                rejected++;
                assertUnchanged(before, after, what + " -> " + response);
            }
            if (after == null || !after.path("status").asText().equals("open")) {
                key = openSession();
                after = session(key);
            }
            before = after;
        }
        System.out.println("HostileInputTest: " + CASES + " hostile requests, " + rejected
                + " rejected with the session unchanged; statuses " + statuses);
    }

    // --- limits enforced before any work is done ---------------------------------------------

    @Test
    void aBodyDeclaredLargerThan16KiBIs413BeforeItIsRead() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        String padded = "{\"sku\":\"SKU-1\",\"name\":\"" + repeat("n", 16 * 1024) + "\",\"price\":1.00}";
        RawHttp.Response response = http.send(post(key, "/items", padded));
        assertProblem(response, 413, "/problems/payload-too-large");
        assertUnchanged(before, session(key), "a 413");
    }

    @Test
    void aChunkedBodyLargerThan16KiBIs413() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        String padded = "{\"sku\":\"SKU-1\",\"name\":\"" + repeat("n", 20 * 1024) + "\",\"price\":1.00}";
        RawHttp.Response response = http.send(post(key, "/items", padded).chunked());
        assertProblem(response, 413, "/problems/payload-too-large");
        assertClean(post(key, "/items", padded), response, "chunked 413");
        assertUnchanged(before, session(key), "a chunked 413");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsReadAndApplied() throws Exception {
        String key = openSession();
        RawHttp.Response response = http.send(post(key, "/items",
                "{\"sku\":\"SKU-9\",\"name\":\"Chunked\",\"price\":2.50,\"quantity\":3}").chunked());
        assertEquals(200, response.status(), response.toString());
        JsonNode line = session(key).path("items").get(0);
        assertEquals("SKU-9", line.path("sku").asText());
        assertEquals(3, line.path("quantity").asInt());
    }

    @Test
    void aBodyOfExactly16KiBIsReadAndJudgedByTheFieldRules() throws Exception {
        String key = openSession();
        String prefix = "{\"sku\":\"SKU-1\",\"price\":1.00,\"name\":\"";
        String body = prefix + repeat("n", 16 * 1024 - prefix.length() - 2) + "\"}";
        assertEquals(16 * 1024, body.getBytes(StandardCharsets.UTF_8).length);
        RawHttp.Response response = http.send(post(key, "/items", body));
        assertProblem(response, 422, "/problems/validation-failed"); // name: at most 200 characters
    }

    @Test
    void deeplyNestedJsonIs400WithoutBeingWalked() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        for (String deep : List.of(repeat("[", 5000) + repeat("]", 5000),
                "{\"sku\":" + repeat("{\"a\":", 2000) + "1" + repeat("}", 2000) + "}",
                "{\"quantity\":" + repeat("[", 33) + repeat("]", 33) + "}")) {
            RawHttp.Response response = http.send(post(key, "/items", deep));
            assertProblem(response, 400, "/problems/invalid-request");
        }
        assertUnchanged(before, session(key), "nested JSON");
    }

    @Test
    void numbersLongerThan64DigitsAre400AndShorterOnesAreJudgedByTheirRange() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        RawHttp.Response tooLong = http.send(post(key, "/items",
                "{\"sku\":\"SKU-1\",\"name\":\"n\",\"price\":" + repeat("9", 65) + "}"));
        assertProblem(tooLong, 400, "/problems/invalid-request");
        RawHttp.Response longButReadable = http.send(post(key, "/items",
                "{\"sku\":\"SKU-1\",\"name\":\"n\",\"price\":" + repeat("9", 64) + "}"));
        assertProblem(longButReadable, 422, "/problems/validation-failed");
        RawHttp.Response overflow = http.send(post(key, "/items",
                "{\"sku\":\"SKU-1\",\"name\":\"n\",\"price\":1,\"quantity\":" + repeat("9", 30) + "}"));
        assertProblem(overflow, 400, "/problems/invalid-request");
        RawHttp.Response exponent = http.send(post(key, "/items", "{\"sku\":\"SKU-1\",\"name\":\"n\",\"price\":1e999999999}"));
        assertTrue(exponent.status() == 400 || exponent.status() == 422, exponent.toString());
        assertClean(post(key, "/items", "1e999999999"), exponent, "huge exponent");
        assertUnchanged(before, session(key), "numbers");
    }

    @Test
    void longStringsAreRejectedByTheirFieldRules() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        assertProblem(http.send(post(key, "/logs", "{\"entry\":\"" + repeat("e", 501) + "\"}")), 422,
                "/problems/validation-failed");
        assertProblem(http.send(post(key, "/items", "{\"sku\":\"" + repeat("S", 65) + "\",\"name\":\"n\",\"price\":1}")),
                422, "/problems/validation-failed");
        assertProblem(http.send(new RawHttp.Request("PUT", "/v1/stores/demo/sessions/" + key)
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json")
                .body("{\"landing\":\"/" + repeat("l", 2048) + "\"}")), 422, "/problems/validation-failed");
        assertUnchanged(before, session(key), "long strings");
    }

    @Test
    void invalidUtf8Is400() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        byte[] body = {'{', '"', 'e', 'n', 't', 'r', 'y', '"', ':', '"', (byte) 0xC3, 0x28, (byte) 0xFF, '"', '}'};
        RawHttp.Response response = http.send(new RawHttp.Request("POST", "/v1/stores/demo/sessions/" + key + "/logs")
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").body(body));
        assertProblem(response, 400, "/problems/invalid-request");
        assertUnchanged(before, session(key), "invalid UTF-8");
    }

    @Test
    void headersLargerThanTheLimitAreRefused() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        RawHttp.Request request = post(key, "/logs", "{\"entry\":\"big header\"}")
                .header("X-Padding", repeat("p", 32 * 1024));
        RawHttp.Response response = http.send(request);
        assertEquals(431, response.status(), response.toString());
        assertClean(request, response, "header too large");
        assertUnchanged(before, session(key), "a 431");
    }

    @Test
    void requestLinesLongerThanTheLimitAreRefused() throws Exception {
        RawHttp.Request request = new RawHttp.Request("GET", "/v1/stores/demo/sessions/" + repeat("k", 5000))
                .header("Authorization", AUTHORIZATION);
        RawHttp.Response response = http.send(request);
        assertEquals(414, response.status(), response.toString());
        assertClean(request, response, "request line too long");
    }

    /** One request to a v1.1 endpoint and the exact status the contract gives it. */
    private record Case(String method, String path, String contentType, String body, int status, String type) {
    }

    @Test
    void theRicherCartBodiesGetTheirExactStatuses() throws Exception {
        String mergePatch = "application/merge-patch+json";
        String json = "application/json";
        List<Case> cases = List.of(
                new Case("POST", "/items", json, "{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":\"engraved\"}", 400, "invalid-request"),
                new Case("POST", "/items", json, "{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\":1e999}}", 400, "invalid-request"),
                new Case("POST", "/items", json, "{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"\":\"v\"}}", 422, "validation-failed"),
                new Case("POST", "/items", json, "{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\u0000\":\"v\"}}", 400, "invalid-request"),
                new Case("POST", "/items", json, "{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\\u0000\":\"v\"}}", 422, "validation-failed"),
                new Case("POST", "/items", json, "{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"attributes\":{\"k\":\"a\",\"k\":\"b\"}}", 400, "invalid-request"),
                new Case("PATCH", "/lines/l1", json, "{\"quantity\":-1}", 422, "validation-failed"),
                new Case("PATCH", "/lines/l1", json, "{\"quantity\":1.5}", 400, "invalid-request"),
                new Case("PATCH", "/lines/l1", json, "{\"quantity\":1}", 404, "not-found"),
                new Case("PATCH", "/lines/l1", "text/plain", "{\"quantity\":1}", 415, "unsupported-media-type"),
                new Case("PUT", "/note", json, "{\"note\":null}", 422, "validation-failed"),
                new Case("PUT", "/note", json, "{\"note\":[\"a\"]}", 400, "invalid-request"),
                new Case("PUT", "/note", json, "{\"note\":\"" + repeat("n", 1001) + "\"}", 422, "validation-failed"),
                new Case("PUT", "/note", json, "\"just a string\"", 400, "invalid-request"),
                new Case("PATCH", "/attributes", mergePatch, "{\"k\":\"" + repeat("v", 201) + "\"}", 422, "validation-failed"),
                new Case("PATCH", "/attributes", mergePatch, "{\"" + repeat("k", 41) + "\":\"v\"}", 422, "validation-failed"),
                new Case("PATCH", "/attributes", mergePatch, "{\"k\":{\"nested\":\"v\"}}", 400, "invalid-request"),
                new Case("PATCH", "/attributes", mergePatch, repeat("[", 40) + repeat("]", 40), 400, "invalid-request"),
                new Case("PATCH", "/attributes", mergePatch, "{\"k\":\"v\"} trailing", 400, "invalid-request"),
                new Case("PATCH", "/attributes", mergePatch, "{'k': 'v'}", 400, "invalid-request"),
                new Case("PATCH", "/attributes", mergePatch, "", 400, "invalid-request"),
                new Case("PATCH", "/attributes", "application/merge-patch+xml", "{\"k\":\"v\"}", 415, "unsupported-media-type"),
                new Case("PATCH", "/attributes", "text/plain", "{\"k\":\"v\"}", 415, "unsupported-media-type"),
                new Case("POST", "/touches", json, "{\"landing\":{\"url\":\"/\"}}", 400, "invalid-request"),
                new Case("POST", "/touches", json, "{\"landing\":\"/\",\"utm\":{}}", 422, "validation-failed"),
                new Case("POST", "/touches", json, "[]", 400, "invalid-request"));
        String key = openSession();
        JsonNode before = session(key);
        for (Case c : cases) {
            RawHttp.Request request = new RawHttp.Request(c.method(), "/v1/stores/demo/sessions/" + key + c.path())
                    .header("Authorization", AUTHORIZATION).header("Content-Type", c.contentType()).body(c.body());
            RawHttp.Response response = http.send(request);
            assertClean(request, response, c.toString());
            assertEquals(c.status(), response.status(), () -> c + " -> " + response);
            assertProblem(response, c.status(), "/problems/" + c.type());
        }
        assertUnchanged(before, session(key), "the richer-cart cases");

        // text the database cannot hold (U+0000) is refused, never a 500; other odd text is stored as given
        for (String[] nul : new String[][] {{"PUT", "/note", "{\"note\":\"a\\u0000b\"}"},
                {"POST", "/touches", "{\"landing\":\"/a\\u0000b\"}"}, {"POST", "/logs", "{\"entry\":\"a\\u0000b\"}"},
                {"PATCH", "/attributes", "{\"k\":\"a\\u0000b\"}"}}) {
            RawHttp.Request request = new RawHttp.Request(nul[0], "/v1/stores/demo/sessions/" + key + nul[1])
                    .header("Authorization", AUTHORIZATION).header("Content-Type", json).body(nul[2]);
            RawHttp.Response response = http.send(request);
            assertClean(request, response, nul[2]);
            assertProblem(response, 400, "/problems/invalid-request");
        }
        RawHttp.Response odd = http.send(post(key, "/touches", "{\"landing\":\"/p?utm_source=%E9%ZZ\\u202e\uD83D\uDE80\"}"));
        assertEquals(200, odd.status(), odd::toString);
    }

    @Test
    void pathSegmentsOutsideTheContractAre400() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        String ok = key;
        Map<String, String> paths = new TreeMap<>(Map.of(
                "upper-case store", "/v1/stores/DEMO/sessions/" + ok,
                "store with underscore", "/v1/stores/de_mo/sessions/" + ok,
                "store of 64 characters", "/v1/stores/" + repeat("a", 64) + "/sessions/" + ok,
                "key of 15 characters", "/v1/stores/demo/sessions/" + repeat("k", 15),
                "key of 129 characters", "/v1/stores/demo/sessions/" + repeat("k", 129),
                "key with a dot", "/v1/stores/demo/sessions/abcdefghijklmnop.q",
                "key with an encoded slash", "/v1/stores/demo/sessions/abcdefgh%2Fijklmnopq",
                "key with NUL", "/v1/stores/demo/sessions/abcdefghijklmnop%00",
                "key with non-ASCII", "/v1/stores/demo/sessions/abcdefghijklmnop%C3%A9",
                "sku with a space", "/v1/stores/demo/sessions/" + ok + "/items/SKU%201"));
        paths.put("discount code of 33 characters", "/v1/stores/demo/sessions/" + ok + "/discounts/" + repeat("C", 33));
        paths.put("line id of 33 characters", "/v1/stores/demo/sessions/" + ok + "/lines/" + repeat("l", 33));
        paths.put("line id with a dot", "/v1/stores/demo/sessions/" + ok + "/lines/l.1");
        for (Map.Entry<String, String> path : paths.entrySet()) {
            String method = path.getValue().contains("/items/") || path.getValue().contains("/discounts/")
                    || path.getValue().contains("/lines/") ? "DELETE" : "PUT";
            RawHttp.Request request = new RawHttp.Request(method, path.getValue()).header("Authorization", AUTHORIZATION);
            if (method.equals("PUT")) {
                request.header("Content-Type", "application/json").body("{}");
            }
            RawHttp.Response response = http.send(request);
            assertEquals(400, response.status(), path.getKey() + ": " + response);
            assertProblem(response, 400, "/problems/invalid-request");
        }
        assertUnchanged(before, session(key), "odd paths");
    }

    @Test
    void oddConditionalAndIdempotencyHeadersAre400() throws Exception {
        String key = openSession();
        JsonNode before = session(key);
        for (String[] header : new String[][] {
                {"If-Match", "4"}, {"If-Match", "\"abc\""}, {"If-Match", "\"99999999999999999999\""},
                {"Idempotency-Key", repeat("i", 256)}, {"Idempotency-Key", "has space"}, {"Idempotency-Key", "cl\u00e9"}}) {
            RawHttp.Response response = http.send(post(key, "/logs", "{\"entry\":\"x\"}").header(header[0], header[1]));
            assertProblem(response, 400, "/problems/invalid-request");
        }
        assertUnchanged(before, session(key), "odd headers");
    }

    @Test
    void hostileTokensAndRestoreBodiesGetExactlyTheirStatusAndChangeNothing() throws Exception {
        String key = openSession();
        assertEquals(200, http.send(post(key, "/items", "{\"sku\":\"SKU-1\",\"name\":\"Falcon\",\"price\":1.00}")).status());
        RawHttp.Response made = http.send(post(key, "/recovery-links", "{\"campaign\":\"hostile\"}"));
        assertEquals(201, made.status(), made::toString);
        String token = json.readTree(made.body()).path("token").asText();
        String into = "hostile-into-" + UUID.randomUUID().toString().replace("-", "");
        JsonNode before = session(key);
        String altered = token.substring(0, token.length() - 1) + (token.endsWith("A") ? "B" : "A");
        for (String bad : List.of(altered, repeat("A", 22), repeat("A", 65), repeat("t", 3000), "%00" + token, "..", "%2e%2e",
                "tok%2Fen" + token, "%27%20OR%201%3D1%20--" + token, "%F0%9F%9A%80" + token)) {
            RawHttp.Response preview = http.send(new RawHttp.Request("GET", "/v1/stores/demo/recovery/" + bad)
                    .header("Authorization", AUTHORIZATION));
            assertProblem(preview, 404, "/problems/not-found");
            RawHttp.Response restore = http.send(restore(bad, "{\"into\":\"" + into + "\"}"));
            assertProblem(restore, 404, "/problems/not-found");
        }
        Map<String, Integer> bodies = new java.util.LinkedHashMap<>();
        bodies.put("{", 400);
        bodies.put("", 400);
        bodies.put("{\"into\":5}", 400);
        bodies.put("{\"into\":[\"" + into + "\"]}", 400);
        bodies.put("{\"into\":\"short\"}", 422);
        bodies.put("{\"into\":\"" + into + "\",\"extra\":1}", 422);
        bodies.put("{\"into\":\"" + key + "\"}", 422);
        bodies.put("{\"into\":\"" + repeat("k", 16 * 1024) + "\"}", 413);
        for (Map.Entry<String, Integer> body : bodies.entrySet()) {
            RawHttp.Response response = http.send(restore(token, body.getKey()));
            assertEquals(body.getValue(), response.status(), () -> body.getKey() + " -> " + response);
            assertClean(restore(token, body.getKey()), response, "restore " + body.getValue());
        }
        RawHttp.Response plain = http.send(restore(token, "{\"into\":\"" + into + "\"}").header("Content-Type", "text/plain"));
        assertProblem(plain, 415, "/problems/unsupported-media-type");
        for (String body : List.of("{\"ttl\":\"P99999999999999999999D\"}", "{\"campaign\":\"<script>\"}", "{\"ttl\":\"-PT1H\"}")) {
            assertProblem(http.send(post(key, "/recovery-links", body)), 422, "/problems/validation-failed");
        }
        assertUnchanged(before, session(key), "hostile recovery requests");
        assertNull(sessionOrNull(into), "a refused restore creates nothing");
        RawHttp.Response preview = http.send(new RawHttp.Request("GET", "/v1/stores/demo/recovery/" + token)
                .header("Authorization", AUTHORIZATION));
        assertEquals("ready", json.readTree(preview.body()).path("status").asText(), preview::toString);
    }

    // --- checks ------------------------------------------------------------------------------

    /** Never a 5xx, never internals; an error is a problem document whose status is the response's. */
    static void assertClean(RawHttp.Request request, RawHttp.Response response, String what) {
        assertClean(request, response, new StringBuilder(), what);
    }

    /**
     * The same, where {@code echoable} is what earlier accepted requests sent, in lower case (the session may
     * hold it): a word of the list in the response is a leak only if neither this request nor one of those sent it.
     */
    static void assertClean(RawHttp.Request request, RawHttp.Response response, StringBuilder echoable, String what) {
        assertTrue(response.status() < 500, () -> "a 5xx: " + what + " -> " + response);
        String sent = request.sentText().toLowerCase(Locale.ROOT);
        String received = (response.headers() + " " + response.text()).toLowerCase(Locale.ROOT);
        for (String leak : LEAKS) {
            if (received.contains(leak) && !sent.contains(leak) && echoable.indexOf(leak) < 0) {
                fail("the response shows \"" + leak + "\": " + what + " -> " + response);
            }
        }
        if (response.status() >= 400 && response.body().length > 0) {
            String type = String.valueOf(response.header("Content-Type"));
            assertTrue(type.startsWith("application/problem+json"), () -> "not a problem: " + what + " -> " + response);
            try {
                JsonNode problem = new ObjectMapper().readTree(response.body());
                assertTrue(problem.path("type").asText().startsWith("/problems/"), () -> what + " -> " + response);
                assertEquals(response.status(), problem.path("status").asInt(), () -> what + " -> " + response);
            } catch (IOException e) {
                fail("a problem that is not JSON: " + what + " -> " + response);
            }
        }
    }

    static void assertProblem(RawHttp.Response response, int status, String type) {
        assertEquals(status, response.status(), response::toString);
        assertTrue(String.valueOf(response.header("Content-Type")).startsWith("application/problem+json"), response::toString);
        assertTrue(response.text().contains("\"type\":\"" + type + "\""), response::toString);
    }

    /**
     * The session after a rejected request is the session before it. The one change a rejection may
     * make is the contract's: a negative price is logged as tampering (one version, one log entry).
     */
    static void assertUnchanged(JsonNode before, JsonNode after, String what) {
        assertNotNull(after, () -> "the session disappeared: " + what);
        if (before.equals(after)) {
            return;
        }
        JsonNode logs = after.path("logs");
        String last = logs.size() == 0 ? "" : logs.get(logs.size() - 1).path("entry").asText();
        boolean tamperingLogged = after.path("version").asLong() == before.path("version").asLong() + 1
                && last.matches("Rejected .*: negative price")
                && after.path("items").equals(before.path("items"))
                && after.path("discounts").equals(before.path("discounts"))
                && after.path("status").equals(before.path("status"))
                && after.path("memberId").equals(before.path("memberId"));
        assertTrue(tamperingLogged, () -> "a rejected request changed the session: " + what
                + "\nbefore: " + before + "\nafter:  " + after);
    }

    // --- helpers -----------------------------------------------------------------------------

    private String openSession() throws IOException {
        String key = "hostile-" + UUID.randomUUID().toString().replace("-", "");
        RawHttp.Response created = http.send(new RawHttp.Request("PUT", "/v1/stores/demo/sessions/" + key)
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").body("{}"));
        assertEquals(201, created.status(), created::toString);
        return key;
    }

    private JsonNode session(String key) throws IOException {
        JsonNode session = sessionOrNull(key);
        assertNotNull(session, "session " + key);
        return session;
    }

    private JsonNode sessionOrNull(String key) throws IOException {
        RawHttp.Response response = http.send(new RawHttp.Request("GET", "/v1/stores/demo/sessions/" + key)
                .header("Authorization", AUTHORIZATION));
        if (response.status() == 404) {
            return null;
        }
        assertEquals(200, response.status(), response::toString);
        return json.readTree(response.body());
    }

    private static RawHttp.Request post(String key, String path, String body) {
        return new RawHttp.Request("POST", "/v1/stores/demo/sessions/" + key + path)
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").body(body);
    }

    private static RawHttp.Request restore(String token, String body) {
        return new RawHttp.Request("POST", "/v1/stores/demo/recovery/" + token + "/restore")
                .header("Authorization", AUTHORIZATION).header("Content-Type", "application/json").body(body);
    }

    private static String describe(RawHttp.Request request) {
        String text = new String(request.bytes(), StandardCharsets.ISO_8859_1);
        return text.length() > 600 ? text.substring(0, 600) + "… (" + text.length() + " bytes)" : text;
    }
}
