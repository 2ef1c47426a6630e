package com.redfour.shopping.session.api;

import com.redfour.shopping.session.store.SessionPurge;
import com.redfour.shopping.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static com.redfour.shopping.support.Api.add;
import static com.redfour.shopping.support.Api.api;
import static com.redfour.shopping.support.Api.createSession;
import static com.redfour.shopping.support.Api.session;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Sessions expire TTL (30 days) after their last change; the purge deletes them in batches. */
@QuarkusTest
public class ExpiryTest {

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void expiresAtIsUpdatedAtPlusTheTtl() {
        String key = createSession();
        var doc = api().get(session(key)).then().extract().jsonPath();
        assertThat(Duration.between(Instant.parse(doc.getString("updatedAt")), Instant.parse(doc.getString("expiresAt"))))
                .isEqualTo(Duration.ofDays(30));
    }

    @Test
    void anExpiredSessionBehavesAsIfItDidNotExist() {
        String key = createSession();
        add(key, "RKT-1", "1.00", 1);
        clock.advance(Duration.ofDays(29));
        add(key, "RKT-1", "1.00", 1); // a change renews it
        clock.advance(Duration.ofDays(29));
        api().get(session(key)).then().statusCode(200).body("items[0].quantity", equalTo(2));
        clock.advance(Duration.ofDays(1).plusSeconds(1));
        api().get(session(key)).then().statusCode(404);
        api().body(java.util.Map.of("entry", "x")).post(session(key) + "/logs").then().statusCode(404);
        api().delete(session(key)).then().statusCode(404);
        api().put(session(key)).then().statusCode(201).body("version", equalTo(1)).body("items", org.hamcrest.Matchers.empty());
    }

    @Test
    void thePurgeDeletesOnlyExpiredSessionsInBatches() {
        clock.advance(Duration.ofDays(1000)); // a stretch of time no other test's sessions reach
        List<String> old = IntStream.range(0, 5).mapToObj(i -> createSession()).toList();
        clock.advance(Duration.ofDays(20));
        String young = createSession();
        clock.advance(Duration.ofDays(15)); // old ones are 35 days old, the young one 15

        assertThat(stillStored(old, young)).isEqualTo(6);
        SessionPurge.Result result = purgeWithBatchSize(2);
        assertThat(result.deleted()).isGreaterThanOrEqualTo(5);
        assertThat(result.batches()).isGreaterThanOrEqualTo(3);
        assertThat(stillStored(old, young)).isEqualTo(1);
        api().get(session(young)).then().statusCode(200);
    }

    @Inject
    com.redfour.shopping.session.store.SessionTable table;

    private SessionPurge.Result purgeWithBatchSize(int size) {
        return new SessionPurge(table, pool, clock, size, Duration.ofDays(7), Duration.ofDays(1)).purge().await().atMost(Duration.ofSeconds(30));
    }

    private long stillStored(List<String> old, String young) {
        List<String> keys = new java.util.ArrayList<>(old);
        keys.add(young);
        return pool.preparedQuery("SELECT count(*) FROM session WHERE store = 'demo' AND key = ANY($1)")
                .execute(Tuple.of(keys.toArray(new String[0])))
                .await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong(0);
    }
}
