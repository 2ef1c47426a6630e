package com.redfour.shopping.session.store;

import com.redfour.shopping.session.Attribution;
import com.redfour.shopping.session.LineItem;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.RecoveredFrom;
import com.redfour.shopping.session.Touch;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The row's JSON: a round trip keeps everything, instants are numbers, older ISO text still reads. */
class DocumentCodecTest {

    private static final Instant AT = Instant.parse("2026-11-23T10:00:00.123Z");

    @Test
    void aDocumentRoundTrips() {
        DocumentCodec.Document doc = new DocumentCodec.Document("USD", "/", null, "203.0.113.9",
                List.of(new LineItem("l2", "RKT-1", "Falcon", new BigDecimal("19.99"), 2, Map.of("engraving", "For Ada"))),
                List.of(new DocumentCodec.StoredDiscount("SPRING10", new BigDecimal("10"), null)),
                List.of(new LogEntry(AT, "Session created")), 2L, "Gift wrap, please", Map.of("channel", "app"),
                Attribution.startingWith(Touch.of(AT, "/p?utm_source=news&gclid=abc", null)),
                new RecoveredFrom(AT, "lnk1", "abandoned-1h"));
        String json = DocumentCodec.write(doc);
        assertThat(json).contains("\"at\":" + AT.toEpochMilli());
        assertThat(DocumentCodec.readDocument(json)).isEqualTo(doc);
    }

    @Test
    void instantsWrittenAsIsoTextAreStillRead() {
        String legacy = "{\"currency\":\"USD\",\"landing\":\"/\",\"items\":[],\"discounts\":[],"
                + "\"logs\":[{\"at\":\"2026-11-23T10:00:00.123Z\",\"entry\":\"Session created\"}],\"future\":1}";
        assertThat(DocumentCodec.readDocument(legacy).logs()).containsExactly(new LogEntry(AT, "Session created"));
    }

    @Test
    void aPreviousVersionsDocumentIsUpgradedWhenRead() {
        String v1 = "{\"currency\":\"USD\",\"landing\":\"/p?utm_source=news\",\"referrer\":null,\"ip\":null,"
                + "\"items\":[{\"sku\":\"A\",\"name\":\"a\",\"price\":1,\"quantity\":1},{\"sku\":\"B\",\"name\":\"b\",\"price\":2,\"quantity\":3}],"
                + "\"discounts\":[],\"logs\":[]}";
        DocumentCodec.Document doc = DocumentCodec.readDocument(v1).upgraded(AT);
        assertThat(doc.items()).extracting(LineItem::lineId).containsExactly("l1", "l2");
        assertThat(doc.items()).extracting(LineItem::attributes).containsOnly(Map.of());
        assertThat(doc.lastLineNumber()).isEqualTo(2);
        assertThat(doc.note()).isNull();
        assertThat(doc.attributes()).isEmpty();
        assertThat(doc.attribution()).isEqualTo(Attribution.startingWith(Touch.of(AT, "/p?utm_source=news", null)));
        assertThat(doc.attribution().first().utm().source()).isEqualTo("news");
        // a document this version wrote is as it was
        assertThat(DocumentCodec.readDocument(DocumentCodec.write(doc)).upgraded(AT.plusSeconds(9))).isEqualTo(doc);
    }

    @Test
    void appliedKeysRoundTrip() {
        List<AppliedKey> keys = List.of(new AppliedKey("k-1", "abc", AppliedKey.Kind.CHANGED, AT));
        assertThat(DocumentCodec.readKeys(DocumentCodec.writeKeys(keys))).isEqualTo(keys);
    }
}
