package com.redfour.shopping.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.support.Api;
import com.redfour.shopping.support.PackagedApp;
import com.redfour.shopping.support.TestDatabase;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.redfour.shopping.support.Commands.runs;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard (issue 27) in a real browser against the packaged service on a fresh database: a store
 * with a known history, made through the HTTP API, read back through the page as a person uses it (the
 * fields by their labels, Enter and the {@code Show} button), its figures asserted exactly; a recovery link
 * made from the page that opens the cart; nothing loaded from another origin, no script error, no
 * Content-Security-Policy violation; the key in session storage only.
 *
 * <p>Drives Debian's {@code /usr/bin/chromium} with npm's {@code playwright-core} (pinned in
 * {@code src/test/browser/package.json}, installed into {@code target/} with {@code npm ci}; no browser is
 * ever downloaded). Skipped with a message where node 20+, npm or that Chromium are missing. With
 * {@code -Ddashboard.screenshot=docs/dashboard.png} the page, as the test left it, is also saved there.
 */
class DashboardBrowserIT {

    private static final Path SOURCES = Path.of("src", "test", "browser").toAbsolutePath();
    private static final Path WORK = Path.of("target", "dashboard-browser").toAbsolutePath();
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final String RECOVERY_URL = "https://shop.example/cart/recover/";
    private static final String GOOGLE = "https://www.google.com/search?q=rockets";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String service;

    @Test
    void thePageShowsTheStoresFiguresAndMakesRecoveryLinks() throws Exception {
        Assumptions.assumeTrue(nodeMajor() >= 20 && runs("npm", "--version"),
                "node 20+ and npm are not on the PATH: the dashboard's browser test (src/test/browser) does not run");
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM),
                "/usr/bin/chromium is missing (Debian package chromium): the dashboard's browser test does not run");
        install();

        String database = TestDatabase.fresh("dashboard");
        PackagedApp app = PackagedApp.on(database)
                .env("REDFOUR_RECOVERY_URL", RECOVERY_URL + "{token}")
                // the abandoned-cart scan every second, so that the carts made idle below are reported at once
                .env("REDFOUR_EVENTS_SCAN_INTERVAL", "1s");
        try (PackagedApp.Serving serving = app.serve("dashboard")) {
            // the first PUT makes a session too: (direct), landing /rockets/falcon, no items
            assertThat(serving.firstPut(Duration.ofSeconds(90)).status()).isEqualTo(201);
            service = "http://127.0.0.1:" + app.port();

            // --- a store with a known history, through the API -------------------------------------------
            String n1 = arrive("/rockets?utm_source=news&utm_medium=email&utm_campaign=spring", null);
            add(n1, "RKT-1", "19.99", 2);
            close(n1);                                                  // converted, USD 39.98
            String n2 = arrive("/rockets?utm_source=news&utm_medium=email", null);
            add(n2, "RKT-2", "10.00", 1);                               // left: abandoned, USD 10.00
            arrive("/blog/launch?utm_source=news", null);                 // looked, took nothing
            String g1 = arrive("/", GOOGLE);
            add(g1, "FUEL", "5.50", 3);
            close(g1);                                                  // converted, USD 16.50
            arrive("/fuel", GOOGLE);
            String g3 = arrive("/rockets/saturn", GOOGLE);
            add(g3, "SAT-5", "100.00", 1);                              // left: abandoned, USD 100.00
            arrive("/", GOOGLE);
            String d1 = arrive("/", null);
            // d1 comes back from a search: its last touch is www.google.com, its first (direct)
            send("POST", Api.session(d1) + "/touches", Map.of("landing", "/", "referrer", "https://www.google.com/search?q=falcon"), 200);
            LocalDate today = LocalDate.parse(session(n1).get("createdAt").asText().substring(0, 10));

            // Two carts idle for two hours. The one thing not done through the API: a packaged service's clock
            // cannot be moved, so their last change is moved back in the database, as the hour would have.
            try (Connection db = DriverManager.getConnection("jdbc:" + database, TestDatabase.username(), TestDatabase.password());
                    PreparedStatement idle = db.prepareStatement(
                            "UPDATE session SET updated_at = updated_at - interval '2 hours' WHERE store = ? AND key IN (?, ?)")) {
                idle.setString(1, Api.STORE);
                idle.setString(2, n2);
                idle.setString(3, g3);
                assertThat(idle.executeUpdate()).isEqualTo(2);
            }
            awaitAbandoned(2);

            // --- the page's files and headers, as served by this build (JVM or native) ------------------------
            HttpResponse<String> moved = get("/dashboard", null);
            assertThat(moved.statusCode()).isEqualTo(301);
            assertThat(moved.headers().firstValue("Location").orElseThrow()).endsWith("/dashboard/");
            HttpResponse<String> page = get("/dashboard/", null);
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Security-Policy")).contains(POLICY);
            assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            Matcher chartLibrary = Pattern.compile("src=\"(/webjars/uplot/[^\"]+\\.js)\"").matcher(page.body());
            assertThat(chartLibrary.find()).as("the page names the uPlot WebJar").isTrue();
            HttpResponse<String> library = get(chartLibrary.group(1), null);
            assertThat(library.statusCode()).isEqualTo(200);
            assertThat(library.headers().firstValue("Content-Security-Policy")).contains(POLICY);
            assertThat(library.body()).contains("uPlot");

            // --- the page, in the browser ------------------------------------------------------------
            // the page's default window is the browser's UTC today: the date before or after the run
            // (the same date unless the run spans midnight)
            LocalDate dayBefore = LocalDate.now(ZoneOffset.UTC);
            JsonNode seen = drive(serving);
            LocalDate dayAfter = LocalDate.now(ZoneOffset.UTC);

            assertThat(seen.get("redirectedFrom").asText()).isEqualTo(service + "/dashboard");
            assertThat(seen.get("openedUrl").asText()).isEqualTo(service + "/dashboard/");
            assertThat(seen.get("pageStatus").asInt()).isEqualTo(200);
            assertThat(seen.get("pageHeaders").get("content-security-policy").asText()).isEqualTo(POLICY);
            assertThat(seen.get("pageHeaders").get("x-content-type-options").asText()).isEqualTo("nosniff");
            assertThat(seen.get("pageHeaders").get("referrer-policy").asText()).isEqualTo("no-referrer");
            LocalDate pageToday = LocalDate.parse(seen.get("defaultTo").asText());
            assertThat(pageToday).isBetween(dayBefore, dayAfter);
            assertThat(seen.get("defaultFrom").asText()).isEqualTo(pageToday.minusDays(29).toString());
            assertThat(seen.get("keyFieldType").asText()).isEqualTo("password");

            assertThat(seen.get("messagesLive").asText()).isEqualTo("polite");
            assertThat(seen.get("wrongKeyMessage").asText()).contains("401").contains("Check the API key");

            JsonNode first = seen.get("firstTouch");
            assertThat(strings(first.get("metrics"))).containsAllEntriesOf(Map.of(
                    "sessions", "9", "withItems", "4", "converted", "2", "conversionRate", "22.22 %",
                    "abandoned", "2", "recovered", "0", "revenue", "USD 56.48",
                    "averageOrderValue", "USD 28.24", "abandonedValue", "USD 110.00"));
            assertThat(first.get("withItemsRate").asText()).isEqualTo("44.44 % of sessions");
            assertThat(table(first.get("sources"))).containsExactly(
                    List.of("www.google.com", "4", "2", "1", "25.00 %", "USD 16.50"),
                    List.of("news", "3", "2", "1", "33.33 %", "USD 39.98"),
                    List.of("(direct)", "2", "0", "0", "0.00 %", "—"));
            assertThat(table(first.get("days"))).containsExactly(List.of(today.toString(), "9", "2", "2"));
            assertThat(first.get("chartCanvases").asInt()).as("uPlot drew its chart").isGreaterThanOrEqualTo(1);
            assertThat(list(first.get("cartKeys"))).containsExactly(g3, n2);
            assertThat(table(first.get("carts"))).extracting(row -> List.of(row.get(0), row.get(1), row.get(2), row.get(4)))
                    .containsExactly(List.of(g3, "1", "USD 100.00", "www.google.com → /rockets/saturn"),
                            List.of(n2, "1", "USD 10.00", "/rockets?utm_source=news&utm_medium=email"));

            JsonNode last = seen.get("lastTouch");
            assertThat(strings(last.get("metrics"))).containsAllEntriesOf(Map.of(
                    "sessions", "9", "withItems", "4", "converted", "2", "conversionRate", "22.22 %"));
            assertThat(table(last.get("sources"))).containsExactly(
                    List.of("www.google.com", "5", "2", "1", "20.00 %", "USD 16.50"),
                    List.of("news", "3", "2", "1", "33.33 %", "USD 39.98"),
                    List.of("(direct)", "1", "0", "0", "0.00 %", "—"));

            // the link shown opens the cart
            JsonNode recovery = seen.get("recovery");
            assertThat(recovery.get("cart").asText()).isEqualTo(g3);
            assertThat(recovery.get("label").asText()).isEqualTo("Recovery link for " + g3);
            assertThat(recovery.get("readOnly").asBoolean()).isTrue();
            assertThat(recovery.get("focused").asBoolean()).isTrue();
            String shown = recovery.get("value").asText();
            assertThat(shown).startsWith(RECOVERY_URL);
            HttpResponse<String> preview = get("/v1/stores/" + Api.STORE + "/recovery/" + shown.substring(RECOVERY_URL.length()), Api.KEY);
            assertThat(preview.statusCode()).isEqualTo(200);
            JsonNode cart = JSON.readTree(preview.body());
            assertThat(cart.get("status").asText()).isEqualTo("ready");
            assertThat(cart.get("total").decimalValue()).isEqualByComparingTo("100.00");
            assertThat(cart.get("items").get(0).get("sku").asText()).isEqualTo("SAT-5");

            // only this origin; the key only in the Authorization header and in session storage
            List<String> foreign = new ArrayList<>();
            for (JsonNode request : seen.get("requests")) {
                String url = request.get("url").asText();
                if (!url.startsWith(service + "/")) {
                    foreign.add(url);
                }
                assertThat(url).doesNotContain(Api.KEY);
                if (url.startsWith(service + "/v1/")) {
                    assertThat(request.get("authorization").asText()).as(url).startsWith("Bearer ");
                } else {
                    assertThat(request.get("authorization").isNull()).as(url).isTrue();
                }
            }
            assertThat(foreign).as("requests to another origin").isEmpty();
            assertThat(seen.get("requests").findValuesAsText("url")).anyMatch(url -> url.contains("/webjars/uplot/"));
            assertThat(strings(seen.get("storage").get("session"))).containsEntry("redfour.dashboard.apiKey", Api.KEY)
                    .containsEntry("redfour.dashboard.store", Api.STORE);
            assertThat(seen.get("storage").get("local").size()).as("localStorage").isZero();
            assertThat(seen.get("storage").get("documentCookie").asText()).isEmpty();
            assertThat(seen.get("cookies").size()).as("cookies").isZero();
            assertThat(seen.get("storage").get("url").asText()).isEqualTo(service + "/dashboard/");
            assertThat(seen.get("afterReload").get("store").asText()).isEqualTo(Api.STORE);
            assertThat(seen.get("afterReload").get("key").asText()).isEqualTo(Api.KEY);

            // no script error and no policy violation; the only failed loads are the wrong key's three 401s,
            // and the only console errors the browser's notes of those
            assertThat(seen.get("pageErrors").size()).as(seen.get("pageErrors").toString()).isZero();
            assertThat(seen.get("violations").size()).as(seen.get("violations").toString()).isZero();
            List<String> failed = new ArrayList<>();
            for (JsonNode response : seen.get("responses")) {
                if (response.get("status").asInt() >= 400) {
                    failed.add(response.get("status").asInt() + " " + response.get("authorization").asText() + " "
                            + response.get("url").asText().replaceAll("\\?.*", ""));
                }
            }
            String wrong = "401 Bearer not-" + Api.KEY + " " + service + "/v1/stores/" + Api.STORE;
            assertThat(failed).containsExactlyInAnyOrder(wrong + "/insights", wrong + "/insights", wrong + "/sessions");
            List<String> consoleErrors = new ArrayList<>();
            for (JsonNode message : seen.get("console")) {
                if (message.get("type").asText().equals("error")) {
                    consoleErrors.add(message.get("text").asText());
                }
            }
            assertThat(consoleErrors).hasSizeLessThanOrEqualTo(3)
                    .allMatch(text -> text.equals("Failed to load resource: the server responded with a status of 401 (Unauthorized)"));
        }
    }

    // --- the browser --------------------------------------------------------------------------------------

    /** {@code npm ci} into target/ unless what is there is what the lock file says. */
    private static void install() throws Exception {
        Files.createDirectories(WORK);
        for (String file : List.of("package.json", "package-lock.json", "drive-dashboard.js")) {
            Files.copy(SOURCES.resolve(file), WORK.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path installed = WORK.resolve("node_modules").resolve(".package-lock.json");
        if (!Files.exists(installed) || !Files.readString(installed).contains(installedVersion())) {
            run(Duration.ofMinutes(5), Map.of(), "npm", "ci", "--no-audit", "--no-fund", "--silent");
        }
    }

    private static String installedVersion() throws IOException {
        return "\"version\": \"" + JSON.readTree(SOURCES.resolve("package.json").toFile())
                .get("dependencies").get("playwright-core").asText() + "\"";
    }

    private JsonNode drive(PackagedApp.Serving serving) throws Exception {
        Path out = WORK.resolve("seen.json");
        Files.deleteIfExists(out);
        Path screenshot = WORK.resolve("dashboard.png");
        run(Duration.ofMinutes(3), Map.of("BASE", service, "STORE", Api.STORE, "KEY", Api.KEY,
                "OUT", out.toString(), "SCREENSHOT", screenshot.toString()), "node", "drive-dashboard.js");
        String wanted = System.getProperty("dashboard.screenshot");
        if (wanted != null && !wanted.isBlank()) {
            Path target = Path.of(wanted).toAbsolutePath();
            Files.createDirectories(target.getParent());
            Files.copy(screenshot, target, StandardCopyOption.REPLACE_EXISTING);
            System.out.println("dashboard screenshot: " + target);
        }
        return JSON.readTree(out.toFile());
    }

    private static void run(Duration limit, Map<String, String> environment, String... command) throws Exception {
        Path log = WORK.resolve(command[0] + "-" + System.nanoTime() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(WORK.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        boolean exited = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        if (!exited) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        System.out.println("$ " + String.join(" ", command) + "\n" + output);
        assertThat(exited && process.exitValue() == 0).as(String.join(" ", command) + " failed:\n" + output).isTrue();
    }

    private static int nodeMajor() {
        try {
            Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            String version = new String(process.getInputStream().readAllBytes()).trim();
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0 || !version.matches("v\\d+\\..*")) {
                return 0;
            }
            return Integer.parseInt(version.substring(1, version.indexOf('.')));
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    // --- the API, as the storefront calls it ----------------------------------------------------------------

    /** A new session that arrived at {@code landing} from {@code referrer}; answers its key. */
    private String arrive(String landing, String referrer) throws Exception {
        String key = Api.newKey();
        send("PUT", Api.session(key), referrer == null ? Map.of("landing", landing) : Map.of("landing", landing, "referrer", referrer), 201);
        return key;
    }

    private void add(String key, String sku, String price, int quantity) throws Exception {
        send("POST", Api.session(key) + "/items",
                Map.of("sku", sku, "name", "Item " + sku, "price", new java.math.BigDecimal(price), "quantity", quantity), 200);
    }

    private void close(String key) throws Exception {
        send("POST", Api.session(key) + "/close", Map.of("orderId", "order-" + key), 200);
    }

    private JsonNode session(String key) throws Exception {
        HttpResponse<String> response = get(Api.session(key), Api.KEY);
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private void send(String method, String path, Object body, int status) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(service + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + Api.KEY).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    }

    private HttpResponse<String> get(String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service + path)).timeout(Duration.ofSeconds(30)).GET();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls the store's events (with a deadline) until the scan has reported {@code count} abandoned carts. */
    private void awaitAbandoned(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> events = get("/v1/stores/" + Api.STORE + "/events?types=session.abandoned&limit=500", Api.KEY);
            assertThat(events.statusCode()).isEqualTo(200);
            seen = JSON.readTree(events.body()).get("events").size();
            if (seen >= count) {
                assertThat(seen).isEqualTo(count);
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200); // a poll interval, not a wait for a guess: the loop ends on the condition
        }
        throw new AssertionError("the scan reported " + seen + " abandoned carts within 60 s, not " + count);
    }

    // --- reading what the browser wrote ---------------------------------------------------------------------

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> values = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue().asText()));
        return values;
    }

    private static List<String> list(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static List<List<String>> table(JsonNode rows) {
        List<List<String>> table = new ArrayList<>();
        rows.forEach(row -> {
            List<String> cells = new ArrayList<>();
            row.forEach(cell -> cells.add(cell.asText()));
            table.add(cells);
        });
        return table;
    }
}
