package com.redfour.shopping.session;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a session tells its store's insights: the keys of a touch, the facts, and which changes move them. */
class SessionFactsTest {

    private static final Instant T0 = Instant.parse("2026-11-30T23:59:59.999Z");

    private static SessionFacts.Keys keys(String landing, String referrer) {
        return SessionFacts.Keys.of(Touch.of(T0, landing, referrer));
    }

    @Test
    void theSourceIsTheUtmSourceElseTheReferrersHostElseDirect() {
        assertThat(keys("/p?utm_source=news&utm_medium=email&utm_campaign=nov", "https://mail.example/x"))
                .isEqualTo(new SessionFacts.Keys("news", "email", "nov", "mail.example", "/p"));
        assertThat(keys("https://shop.example/sale/?gclid=1#top", "https://WWW.Google.com/search?q=x"))
                .isEqualTo(new SessionFacts.Keys("www.google.com", "(none)", "(none)", "www.google.com", "/sale/"));
        assertThat(keys("/", null)).isEqualTo(new SessionFacts.Keys("(direct)", "(none)", "(none)", "(direct)", "/"));
        assertThat(keys("/", " ")).isEqualTo(new SessionFacts.Keys("(direct)", "(none)", "(none)", "(direct)", "/"));
    }

    @Test
    void oddReferrersAndLandingsStillGetAKey() {
        // a host without a scheme; a referrer that names no host; an app referrer
        assertThat(SessionFacts.host("news.example/a")).isEqualTo("news.example");
        assertThat(SessionFacts.host("not a url")).isEqualTo("(direct)");
        assertThat(SessionFacts.host("android-app://com.google.android.gm/")).isEqualTo("com.google.android.gm");
        // the path as sent, without query or fragment, also when the URL does not parse
        assertThat(SessionFacts.path("/caf%C3%A9?x=1")).isEqualTo("/caf%C3%A9");
        assertThat(SessionFacts.path("/a b?utm_source=x")).isEqualTo("/a b");
        assertThat(SessionFacts.path("https://shop.example")).isEqualTo("/");
        assertThat(SessionFacts.path("mailto:ann@example.com")).isEqualTo("/");
        assertThat(SessionFacts.path(null)).isEqualTo("(none)");
    }

    @Test
    void theFactsOfASessionAndWhichChangesMoveThem() {
        Session created = Session.create(new SessionId("demo", "facts-session-0001"), new Arrival("/p?utm_source=news", null, "203.0.113.9", "EUR"),
                null, T0);
        SessionFacts facts = SessionFacts.of(created);
        assertThat(facts.day()).isEqualTo(LocalDate.of(2026, 11, 30));
        assertThat(facts.currency()).isEqualTo("EUR");
        assertThat(facts.hasLines()).isFalse();

        Session withLine = created.withCart(created.cart().selecting("RKT-1", "Rocket", new BigDecimal("12.50"), 2, Map.of(), 250));
        assertThat(SessionFacts.moved(created, withLine)).isTrue();
        Session more = withLine.withCart(withLine.cart().selecting("RKT-2", "Saturn", new BigDecimal("1.00"), 1, Map.of(), 250));
        assertThat(SessionFacts.moved(withLine, more)).as("another line moves nothing but the value").isFalse();
        assertThat(SessionFacts.moved(more, more.withNote("gift"))).isFalse();
        Session closed = more.withStatus(Status.CLOSED);
        assertThat(SessionFacts.moved(more, closed)).isTrue();
        assertThat(SessionFacts.of(closed).revenue()).isEqualByComparingTo("26.00");
        assertThat(SessionFacts.of(more).revenue()).isEqualByComparingTo("0.00");
        assertThat(SessionFacts.of(more).value()).isEqualByComparingTo("26.00");
        Session back = more.withAttribution(more.attribution().returning(Touch.of(T0, "/back?utm_source=ads", null)));
        assertThat(SessionFacts.moved(more, back)).isTrue();
        assertThat(SessionFacts.of(back).last().source()).isEqualTo("ads");
        assertThat(SessionFacts.of(back).first().source()).isEqualTo("news");
    }
}
