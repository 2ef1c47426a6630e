package com.redfour.shopping.session.api;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** Members: listing their open sessions, and sign-in with cart merge. */
@QuarkusTest
public class MemberTest {

    @TestHTTPResource("/")
    URI base;

    private static String newMember() {
        return "m-" + UUID.randomUUID() + "@example.com";
    }

    private static void signIn(String key, String member) {
        api().body(Map.of("memberId", member)).put(session(key) + "/member").then().statusCode(200);
    }

    @Test
    void aMembersOpenSessionsNewestFirst() {
        String member = newMember();
        String older = createSession();
        String newer = createSession();
        String closed = createSession();
        signIn(older, member);
        signIn(closed, member);
        api().post(session(closed) + "/close").then().statusCode(200);
        signIn(newer, member);
        api().get("/v1/stores/demo/members/" + member + "/sessions").then()
                .statusCode(200).body("sessions.key", contains(newer, older));
        api().get("/v1/stores/demo/members/" + newMember() + "/sessions").then()
                .statusCode(200).body("sessions", empty());
        api().get("/v1/stores/demo/members/bad member/sessions").then().statusCode(400);
    }

    @Test
    void signInWithMergeFoldsTheMembersOtherCartIn() {
        String member = newMember();
        String phone = createSession();
        add(phone, "RKT-1", "19.99", 600);
        add(phone, "RKT-2", "5.00", 1);
        api().body(Map.of("code", "SPRING10", "percentOff", 10)).post(session(phone) + "/discounts");
        signIn(phone, member);
        String laptop = createSession();
        add(laptop, "RKT-1", "19.99", 500);

        api().body(Map.of("memberId", member, "merge", true)).put(session(laptop) + "/member").then()
                .statusCode(200)
                .body("memberId", equalTo(member))
                .body("items.sku", contains("RKT-1", "RKT-2"))
                .body("items[0].quantity", equalTo(999))
                .body("items[1].quantity", equalTo(1))
                .body("discounts.code", contains("SPRING10"))
                .body("version", equalTo(3))
                .body("logs.entry", hasItem("Merged session " + phone + ": 2 lines, 1 discounts"));
        api().get(session(phone)).then()
                .statusCode(200)
                .body("status", equalTo("merged"))
                .body("logs[-1].entry", equalTo("Merged into session " + laptop));
        api().body(Map.of("entry", "x")).post(session(phone) + "/logs").then()
                .statusCode(409).body("type", equalTo("/problems/session-closed"));
        api().get("/v1/stores/demo/members/" + member + "/sessions").then().body("sessions.key", contains(laptop));
    }

    @Test
    void mergeTakesOnlyTheMostRecentlyUpdatedOtherSession() {
        String member = newMember();
        String first = createSession();
        add(first, "OLD-1", "1.00", 1);
        signIn(first, member);
        String second = createSession();
        add(second, "NEW-1", "1.00", 1);
        signIn(second, member);
        String current = createSession();
        api().body(Map.of("memberId", member, "merge", true)).put(session(current) + "/member").then()
                .statusCode(200).body("items.sku", contains("NEW-1"));
        api().get(session(first)).then().body("status", equalTo("open"));
    }

    @Test
    void mergeWithNothingToMergeJustSignsIn() {
        String key = createSession();
        api().body(Map.of("memberId", newMember(), "merge", true)).put(session(key) + "/member").then()
                .statusCode(200).body("version", equalTo(2)).body("items", empty());
    }

    @Test
    void mergeDropsLinesPastTheLineLimitWithALogEntry() {
        String member = newMember();
        String other = createSession();
        add(other, "X-1", "1.00", 1);
        add(other, "X-2", "1.00", 1);
        signIn(other, member);
        String current = createSession();
        for (int i = 0; i < 249; i++) {
            add(current, "C-" + i, "1.00", 1);
        }
        api().body(Map.of("memberId", member, "merge", true)).put(session(current) + "/member").then()
                .statusCode(200)
                .body("items", hasSize(250))
                .body("logs.entry", hasItem("Dropped 1 lines of session " + other + " past the limit of 250: X-2"));
    }

    @Test
    void aMergeRacingChangesToBothSessionsLosesNothing() {
        String member = newMember();
        String other = createSession();
        add(other, "OTHER", "1.00", 1);
        signIn(other, member);
        String current = createSession();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> toCurrent = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> toOther = new ArrayList<>();
        CompletableFuture<HttpResponse<String>> merge = null;
        for (int i = 0; i < 20; i++) {
            toCurrent.add(http.sendAsync(post(current, "MINE"), HttpResponse.BodyHandlers.ofString()));
            toOther.add(http.sendAsync(post(other, "OTHER"), HttpResponse.BodyHandlers.ofString()));
            if (i == 10) {
                merge = http.sendAsync(HttpRequest.newBuilder(base.resolve(session(current) + "/member"))
                        .header("Authorization", "Bearer demo-key").header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"memberId\":\"" + member + "\",\"merge\":true}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
            }
        }
        assertThat(merge.join().statusCode()).isEqualTo(200);
        long mine = toCurrent.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> otherAnswers = toOther.stream().map(CompletableFuture::join).toList();
        // a change to the other session either landed before the merge (and was merged) or found it merged (409)
        assertThat(otherAnswers).allMatch(r -> r.statusCode() == 200 || r.statusCode() == 409);
        long otherLanded = otherAnswers.stream().filter(r -> r.statusCode() == 200).count();

        var doc = api().get(session(current)).then().statusCode(200).extract().jsonPath();
        assertThat(doc.getInt("items.find { it.sku == 'MINE' }.quantity")).isEqualTo((int) mine);
        assertThat(doc.getInt("items.find { it.sku == 'OTHER' }.quantity")).isEqualTo(1 + (int) otherLanded);
        var merged = api().get(session(other)).then().statusCode(200).extract().jsonPath();
        assertThat(merged.getString("status")).isEqualTo("merged");
        assertThat(merged.getInt("items[0].quantity")).isEqualTo(1 + (int) otherLanded);
        // created, one add, signed in, the adds that landed, merged
        assertThat(merged.getLong("version")).isEqualTo(4 + otherLanded);
    }

    private HttpRequest post(String key, String sku) {
        return HttpRequest.newBuilder(base.resolve(session(key) + "/items"))
                .header("Authorization", "Bearer demo-key").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"sku\":\"" + sku + "\",\"name\":\"x\",\"price\":1}"))
                .build();
    }
}
