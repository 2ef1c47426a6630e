package com.redfour.shopping.auth;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Parsing REDFOUR_API_KEYS and looking keys up, without Quarkus. */
class ApiKeysTest {

    private static String digest(String key) {
        return HexFormat.of().formatHex(ApiKeys.sha256(key));
    }

    @Test
    void aKeyFindsItsStore() {
        ApiKeys keys = ApiKeys.parse(List.of("demo:" + digest("demo-key"), " shop.example:" + digest("shop-key").toUpperCase()));
        assertThat(keys.storeOf("demo-key")).contains("demo");
        assertThat(keys.storeOf("shop-key")).contains("shop.example");
        assertThat(keys.storeOf("other")).isEmpty();
        assertThat(keys.storeOf("")).isEmpty();
    }

    @Test
    void malformedEntriesStopTheServiceFromStarting() {
        assertThatThrownBy(() -> ApiKeys.parse(List.of("demo-key"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parse(List.of("demo:abc"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ApiKeys.parse(List.of(":" + digest("x")))).isInstanceOf(IllegalArgumentException.class);
    }
}
