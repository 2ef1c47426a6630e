package com.redfour.shopping.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RequestErrorLogTest {

    @Test
    void sessionKeysAndMemberIdsNeverReachTheLog() {
        String logged = RequestErrorLog.redact("/v1/stores/demo/sessions/k7Qm2v9XcL0pRt4sWz/items/RKT-1");
        assertThat(logged).doesNotContain("k7Qm2v9XcL0pRt4sWz").matches("/v1/stores/demo/sessions/#[0-9a-f]{12}/items/RKT-1");
        assertThat(RequestErrorLog.redact("/v1/stores/demo/members/ann@example.com/sessions"))
                .doesNotContain("ann@example.com").startsWith("/v1/stores/demo/members/#");
    }
}
