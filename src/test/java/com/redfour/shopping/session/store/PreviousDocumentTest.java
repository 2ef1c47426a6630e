package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Change;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.Session;
import com.redfour.shopping.session.SessionId;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A row as the previous version (v1.0) wrote it, read by this one: its lines get ids (in their order,
 * the same on every read until the next change writes them), and note, attributes and attribution are
 * derived; no migration rewrote it.
 */
@QuarkusTest
class PreviousDocumentTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String V1_DOCUMENT = """
            {"currency":"USD","landing":"/rockets?utm_source=news&utm_campaign=spring%20sale&gclid=G1",
             "referrer":"https://mail.example/","ip":"203.0.113.9",
             "items":[{"sku":"RKT-1","name":"Falcon","price":19.99,"quantity":2},
                      {"sku":"RKT-2","name":"Heavy","price":5.00,"quantity":1}],
             "discounts":[{"code":"SPRING10","percentOff":10,"amountOff":null}],
             "logs":[{"at":AT,"entry":"Session created"},{"at":AT,"entry":"Selected RKT-1 x2"}]}""";

    @Inject
    SessionTable table;

    @Inject
    Pool pool;

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    @Test
    void aPreviousVersionsRowReadsAndChangesCorrectly() {
        SessionId id = new SessionId("demo", "v1-" + UUID.randomUUID().toString().replace("-", ""));
        Instant created = now.minusSeconds(60);
        StoredSessions.insertAsWritten(pool, id, 3, created, Duration.ofDays(30), V1_DOCUMENT);
        String stored = document(id);

        Row.Live first = load(id);
        assertThat(load(id)).as("every read the same").isEqualTo(first);
        Session s = first.session();
        assertThat(s.version()).isEqualTo(3);
        assertThat(lineIds(first)).containsExactly("l1", "l2");
        assertThat(s.cart().lines().get(0).attributes()).isEmpty();
        assertThat(s.note()).isNull();
        assertThat(s.attributes()).isEmpty();
        assertThat(s.attribution().touches()).isEqualTo(1);
        assertThat(s.attribution().first().at()).isEqualTo(created);
        assertThat(s.attribution().first().landing()).isEqualTo("/rockets?utm_source=news&utm_campaign=spring%20sale&gclid=G1");
        assertThat(s.attribution().first().referrer()).isEqualTo("https://mail.example/");
        assertThat(s.attribution().first().utm().source()).isEqualTo("news");
        assertThat(s.attribution().first().utm().campaign()).isEqualTo("spring sale");
        assertThat(s.attribution().first().clickId()).isEqualTo("G1");
        assertThat(s.totals().total()).isEqualByComparingTo(new BigDecimal("40.48"));
        assertThat(document(id)).as("reading wrote nothing").isEqualTo(stored).doesNotContain("lineId");

        // the v1 sku changes and the line changes both work on it, and ids stay put
        Row.Live changed = changed(first, new Change.ChangeQuantity("RKT-2", 3));
        assertThat(changed.session().version()).isEqualTo(4);
        assertThat(lineIds(changed)).containsExactly("l1", "l2");
        changed = changed(changed, new Change.SelectItem("RKT-3", "New", BigDecimal.ONE, 1));
        assertThat(lineIds(changed)).containsExactly("l1", "l2", "l3");
        changed = changed(changed, new Change.RemoveLine("l1"));
        assertThat(lineIds(changed)).containsExactly("l2", "l3");
        changed = changed(changed, new Change.SelectItem("RKT-1", "Falcon", new BigDecimal("19.99"), 1));
        assertThat(lineIds(changed)).containsExactly("l2", "l3", "l4");
        assertThat(document(id)).contains("\"lineId\": \"l2\"", "\"lastLineNumber\": 4", "\"attribution\""); // jsonb's text form
    }

    private Row.Live load(SessionId id) {
        return (Row.Live) table.load(id, now).await().atMost(WAIT);
    }

    /** {@code row} with {@code change} applied, saved and read back. */
    private Row.Live changed(Row.Live row, Change change) {
        Row.Live next = row.with(change.applyTo(row.session(), now));
        assertThat(table.save(row, next, Optional.empty(), List.of(), now)
                .await().atMost(WAIT)).isTrue();
        return load(row.session().id());
    }

    private static List<String> lineIds(Row.Live row) {
        return row.session().cart().lines().stream().map(LineItem::lineId).toList();
    }

    private String document(SessionId id) {
        return pool.preparedQuery("SELECT document::text FROM session WHERE store = $1 AND key = $2")
                .execute(Tuple.of(id.store(), id.key())).await().atMost(WAIT).iterator().next().getString(0);
    }
}
