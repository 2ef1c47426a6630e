package com.redfour.shopping.event.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The courier's statements as the planner takes them, on tables with no statistics to speak of (the
 * queue empties and fills all the time): a run's step finds its queue by its key and deletes its
 * deliveries within its session, whatever the queue holds, and the claim reads the due index. A bad choice here
 * cost a step 250 buffers under load (bench/webhooks.sh, auto_explain); these plans are what it reads now.
 */
@QuarkusTest
class CourierPlansTest {

    @Inject
    Pool pool;

    @Test
    void aRunsStepReadsItsOwnQueueAndSession() {
        Tuple values = Tuple.of("demo", "plans", "some-session", "some-claim");
        values.addArrayOfLong(new Long[] {1L, 2L});
        values.addLong(60_000L);
        values.addLong(3L);
        values.addInteger(16);
        String plan = explain(RunSteps.NEXT, values);

        assertThat(cte(plan, "held")).contains("Index Scan using webhook_queue_pkey on webhook_queue")
                .contains("Index Cond: ((store = 'demo'::text) AND (webhook_id = 'plans'::text) AND (session_key = 'some-session'::text))");
        // the delivered ones are deleted from among the session's pending deliveries, not the subscription's
        assertThat(cte(plan, "done")).contains("Index Scan using webhook_delivery_queue on webhook_delivery")
                .contains("Index Cond: ((store = 'demo'::text) AND (webhook_id = 'plans'::text) AND (session_key = 'some-session'::text))");
        // the subscription's next due queue, from the due index
        assertThat(cte(plan, "another")).contains("using webhook_queue_due on webhook_queue");
        assertThat(cte(plan, "taken")).contains("Tid Scan on webhook_queue");
        assertThat(plan).doesNotContain("Seq Scan on webhook_queue").doesNotContain("Seq Scan on webhook_delivery");
    }

    @Test
    void aFailedAttemptReadsItsOwnQueueAndSession() {
        Tuple values = Tuple.of("demo", "plans", "some-session", "some-claim", 7L);
        values.addInteger(500);
        values.addString("the receiver answered 500");
        values.addLong(10_000L);
        values.addLong(86_400_000L);
        values.addLong(12L);
        values.addArrayOfLong(new Long[] {5L, 6L});
        String plan = explain(RunSteps.ATTEMPT_FAILED, values);

        assertThat(cte(plan, "q")).contains("Index Scan using webhook_queue_pkey on webhook_queue");
        assertThat(cte(plan, "done")).contains("Index Scan using webhook_delivery_queue on webhook_delivery")
                .contains("Index Cond: ((store = 'demo'::text) AND (webhook_id = 'plans'::text) AND (session_key = 'some-session'::text))");
        assertThat(plan).doesNotContain("Seq Scan on webhook_queue").doesNotContain("Seq Scan on webhook_delivery");
    }

    @Test
    void theClaimReadsTheDueIndexAndUpdatesByRowAddress() {
        Tuple values = Tuple.of(100, 25, new String[0], new String[0], new Integer[0]);
        values.addLong(60_000L);
        values.addString("some-claim");
        values.addInteger(16);
        String plan = explain(DeliveryQueue.CLAIM, values);

        // each subscription's due queues from the due index (the update by row address may scan the small table)
        assertThat(cte(plan, "pick")).contains("Index Scan using webhook_queue_due on webhook_queue")
                .contains("Index Cond: ((store = webhook.store) AND (webhook_id = webhook.id) AND (due_at <= now()))");
    }

    private String explain(String statement, Tuple values) {
        // the plan the service's prepared statement gets: a generic one, as after its first executions
        List<String> lines = new ArrayList<>();
        pool.withTransaction(tx -> tx.query("SET LOCAL plan_cache_mode = force_generic_plan").execute()
                        .flatMap(set -> tx.preparedQuery("EXPLAIN (COSTS OFF) " + statement).execute(values)))
                .await().atMost(Duration.ofSeconds(10))
                .forEach((Row row) -> lines.add(row.getString(0)));
        return String.join("\n", lines);
    }

    /** The part of {@code plan} under {@code CTE name}, up to the next CTE. */
    static String cte(String plan, String name) {
        int start = plan.indexOf("CTE " + name + "\n");
        assertThat(start).as("the plan has CTE %s:%n%s", name, plan).isNotNegative();
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("\n\\s*CTE \\w+\n").matcher(plan);
        int end = next.find(start + 4 + name.length()) ? next.start() : plan.length();
        return plan.substring(start, end);
    }
}
