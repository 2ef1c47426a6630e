package com.redfour.shopping.event.webhook;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookUrlTest {

    @Test
    void takesAnHttpsUrlApart() throws Exception {
        WebhookUrl url = WebhookUrl.parse("https://Hooks.Example.com/in/redfour?tenant=a%20b");
        assertThat(url.ssl()).isTrue();
        assertThat(url.host()).isEqualTo("hooks.example.com");
        assertThat(url.port()).isEqualTo(443);
        assertThat(url.requestUri()).isEqualTo("/in/redfour?tenant=a%20b");
    }

    @Test
    void defaultsThePathAndReadsPortsAndIpv6Literals() throws Exception {
        WebhookUrl url = WebhookUrl.parse("http://[2001:db8::1]:8080");
        assertThat(url.ssl()).isFalse();
        assertThat(url.host()).isEqualTo("2001:db8::1");
        assertThat(url.port()).isEqualTo(8080);
        assertThat(url.requestUri()).isEqualTo("/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/", "example.com/hook", "/hook", "http:///hook", "http://exa mple.com/",
            "https://user:secret@example.com/", "https://example.com/#frag", "mailto:a@example.com", "javascript:alert(1)"})
    void refusesWhatCannotBeAWebhookUrl(String text) {
        assertThatThrownBy(() -> WebhookUrl.parse(text)).isInstanceOf(WebhookUrl.Invalid.class);
    }

    @Test
    void refusesOverlongUrls() {
        assertThatThrownBy(() -> WebhookUrl.parse("https://example.com/" + "a".repeat(2048)))
                .isInstanceOf(WebhookUrl.Invalid.class).hasMessage("must be at most 2048 characters");
    }
}
