package com.redfour.shopping.dashboard;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard's files as served (issue 27): the page, its script, style and the WebJar it names, each
 * with the headers that confine it to this origin; {@code /dashboard} sent on to {@code /dashboard/}; and
 * a page with no inline script or style and no address of another origin. What the page does in a
 * browser against the packaged service: {@code ops/DashboardBrowserIT}.
 */
@QuarkusTest
class DashboardPageTest {

    /** The policy the page is written for: its own origin only. */
    public static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Pattern LOADED = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

    @Test
    void thePageAndEverythingItLoadsComeFromThisOriginUnderItsPolicy() throws IOException {
        Response page = confined("/dashboard/", "text/html");
        String html = page.asString();
        assertThat(html).doesNotContain("${").doesNotContainPattern("(?i)<style|\\sstyle=|\\son[a-z]+=")
                .doesNotContainPattern("(?i)<script(?![^>]*\\ssrc=)");
        List<String> loaded = new ArrayList<>();
        Matcher each = LOADED.matcher(html);
        while (each.find()) {
            loaded.add(each.group(1));
        }
        // the page names the WebJar's path with its version: the one on the class path (pom: uplot.version)
        String uplot = "/webjars/uplot/" + webJarVersion() + "/dist/";
        assertThat(loaded).as("what the page loads").allMatch(address -> address.startsWith("/") && !address.startsWith("//"))
                .contains("/dashboard/dashboard.js", "/dashboard/dashboard.css", uplot + "uPlot.iife.min.js", uplot + "uPlot.min.css");
        for (String address : loaded) {
            confined(address, address.endsWith(".js") ? "javascript" : address.endsWith(".css") ? "text/css" : "image/svg+xml");
        }
        assertThat(confined("/dashboard/dashboard.js", "javascript").asString())
                .doesNotContain("localStorage", "document.cookie", "innerHTML", "http://", "https://");
    }

    @Test
    void theAddressWithoutItsSlashSendsThereWithTheSameHeaders() {
        Response moved = given().redirects().follow(false).when().get("/dashboard");
        assertThat(moved.statusCode()).isEqualTo(301);
        assertThat(moved.header("Location")).endsWith("/dashboard/");
        assertThat(moved.header("Content-Security-Policy")).isEqualTo(POLICY);
    }

    @Test
    void theApiIsNotTouchedByThePagesPolicy() {
        assertThat(given().when().get("/q/health/live").header("Content-Security-Policy")).isNull();
    }

    private static String webJarVersion() throws IOException {
        Properties webJar = new Properties();
        try (InputStream in = DashboardPageTest.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            assertThat(in).as("the uPlot WebJar on the class path").isNotNull();
            webJar.load(in);
        }
        return webJar.getProperty("version");
    }

    private static Response confined(String path, String type) {
        Response response = RestAssured.get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        assertThat(response.contentType()).as(path).contains(type);
        assertThat(response.header("Content-Security-Policy")).as(path).isEqualTo(POLICY);
        assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
        assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("no-referrer");
        return response;
    }
}
