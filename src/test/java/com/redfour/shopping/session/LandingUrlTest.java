package com.redfour.shopping.session;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Campaign tags and click ids from landing URLs: plain JUnit, no Quarkus. */
class LandingUrlTest {

    private static final Touch.Utm NONE = new Touch.Utm(null, null, null, null, null);

    @Test
    void aRelativeLandingWithEveryTag() {
        LandingUrl url = LandingUrl.parse("/rockets?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=falcon&utm_content=hero");
        assertThat(url.utm()).isEqualTo(new Touch.Utm("news", "email", "spring", "falcon", "hero"));
        assertThat(url.clickId()).isNull();
    }

    @Test
    void anAbsoluteLandingWithSomeTagsLeavesTheOthersNull() {
        LandingUrl url = LandingUrl.parse("https://shop.example/p/1?utm_source=google&x=1");
        assertThat(url.utm()).isEqualTo(new Touch.Utm("google", null, null, null, null));
    }

    @Test
    void valuesAndNamesArePercentDecodedAndPlusIsASpace() {
        LandingUrl url = LandingUrl.parse("/p?utm_campaign=summer%20sale%2Fday%201&utm_term=red+rocket&utm%5Fsource=caf%C3%A9&utm_content=a%26b%3Dc");
        assertThat(url.utm()).isEqualTo(new Touch.Utm("café", null, "summer sale/day 1", "red rocket", "a&b=c"));
    }

    @Test
    void aRepeatedParameterTakesItsFirstNonEmptyValue() {
        assertThat(LandingUrl.parse("/p?utm_source=first&utm_source=second").utm().source()).isEqualTo("first");
        assertThat(LandingUrl.parse("/p?utm_source=&utm_source=second").utm().source()).isEqualTo("second");
        assertThat(LandingUrl.parse("/p?utm_source&utm_medium=").utm()).isEqualTo(NONE);
    }

    @Test
    void theFragmentIsNotPartOfTheQuery() {
        LandingUrl url = LandingUrl.parse("/p?utm_source=news#utm_medium=email&gclid=x");
        assertThat(url.utm()).isEqualTo(new Touch.Utm("news", null, null, null, null));
        assertThat(url.clickId()).isNull();
        assertThat(LandingUrl.parse("/p#?utm_source=news").utm()).isEqualTo(NONE);
    }

    @Test
    void noQueryMeansNoTags() {
        for (String landing : new String[] {"/", "/rockets/falcon", "https://shop.example", "/p?", "", "?"}) {
            assertThat(LandingUrl.parse(landing)).isEqualTo(new LandingUrl(NONE, null));
        }
        assertThat(LandingUrl.parse(null)).isEqualTo(new LandingUrl(NONE, null));
    }

    @Test
    void malformedUrlsCarryNoTagsAndNeverThrow() {
        for (String landing : new String[] {"/p?utm_source=a b", "/p?utm_source=%ZZ", "/p?utm_source=%", "http://[::1/p?utm_source=x",
                "/p?utm_source=\u0000", "::::", "%"}) {
            assertThat(LandingUrl.parse(landing).utm()).as(landing).isEqualTo(NONE);
        }
    }

    @Test
    void theClickIdIsTheFirstOfGclidFbclidMsclkid() {
        assertThat(LandingUrl.parse("/p?msclkid=m&fbclid=f&gclid=g").clickId()).isEqualTo("g");
        assertThat(LandingUrl.parse("/p?msclkid=m&fbclid=f").clickId()).isEqualTo("f");
        assertThat(LandingUrl.parse("/p?msclkid=m").clickId()).isEqualTo("m");
        assertThat(LandingUrl.parse("/p?gclid=&fbclid=f").clickId()).isEqualTo("f");
    }

    @Test
    void namesAreMatchedExactly() {
        assertThat(LandingUrl.parse("/p?UTM_SOURCE=x&Gclid=y").utm()).isEqualTo(NONE);
    }

    @Test
    void aTouchKeepsTheLandingAsGivenEvenWhenMalformed() {
        Instant at = Instant.parse("2026-11-23T10:00:00.123Z");
        Touch touch = Touch.of(at, "/p?utm_source=%ZZ", "https://ref.example/");
        assertThat(touch).isEqualTo(new Touch(at, "/p?utm_source=%ZZ", "https://ref.example/", NONE, null));
    }
}
