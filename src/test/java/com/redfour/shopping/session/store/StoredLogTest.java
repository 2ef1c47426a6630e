package com.redfour.shopping.session.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.redfour.shopping.session.LogEntry;
import com.redfour.shopping.session.SessionLog;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The stored JSON of log entries, spliced into answers as it is. */
class StoredLogTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void anEntryIsStoredAsTheContractWritesIt() throws Exception {
        String tricky = "a \"quote\", a \\ and ,{\"at\":\"2026\"} and \u0001 and \u00e9";
        String json = StoredLog.render(new LogEntry(AT, tricky));
        assertThat(json).startsWith("{\"at\":\"2026-11-24T10:00:00.000Z\",\"entry\":\"");
        assertThat(new ObjectMapper().readValue(json, Map.class))
                .isEqualTo(Map.of("at", "2026-11-24T10:00:00.000Z", "entry", tricky));
    }

    @Test
    void droppedEntriesAreCutAtEntryBoundariesEvenWhenAnEntryLooksLikeOne() throws Exception {
        List<LogEntry> three = List.of(new LogEntry(AT, "one ,{\"at\":\" two"), new LogEntry(AT.plusMillis(1), "two"),
                new LogEntry(AT.plusMillis(2), "three"));
        StoredLog stored = StoredLog.of(SessionLog.of(three));
        assertThat(stored.size()).isEqualTo(3);
        assertThat(stored.entries()).isEqualTo(three);

        SessionLog full = SessionLog.of(new StoredLog(joined(stored, 198), 201)); // 201 stored: one out of view
        assertThat(full.dropped()).isEqualTo(1);
        List<?> shown = new ObjectMapper().readValue(StoredLog.array(full), List.class);
        assertThat(shown).hasSize(200);
        assertThat(shown.get(0)).isEqualTo(Map.of("at", "2026-11-24T10:00:00.001Z", "entry", "two"));
        List<?> appended = new ObjectMapper().readValue(StoredLog.array(full.append(new LogEntry(AT, "four"))), List.class);
        assertThat(appended).hasSize(200);
        assertThat(appended.get(0)).isEqualTo(Map.of("at", "2026-11-24T10:00:00.002Z", "entry", "three"));
        assertThat(appended.get(199)).isEqualTo(Map.of("at", "2026-11-24T10:00:00.000Z", "entry", "four"));
    }

    /** The stored text of {@code stored} followed by {@code more} entries of its own. */
    private static String joined(StoredLog stored, int more) {
        StringBuilder text = new StringBuilder(StoredLog.array(SessionLog.of(stored)));
        text.setLength(text.length() - 1);
        for (int i = 0; i < more; i++) {
            text.append(',').append(StoredLog.render(new LogEntry(AT, "more " + i)));
        }
        return text.substring(1);
    }
}
