package com.redfour.shopping.session;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Appending to a log read from the store: the oldest fall out of view, only appended entries are new. */
class SessionLogTest {

    private static final Instant AT = Instant.parse("2026-11-24T10:00:00.123Z");

    private static List<LogEntry> entries(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> new LogEntry(AT.plusMillis(i), prefix + i)).toList();
    }

    /** Stored entries that count how often they were asked for. */
    private static final class Counted implements SessionLog.Stored {
        final List<LogEntry> entries;
        int reads;

        Counted(List<LogEntry> entries) {
            this.entries = entries;
        }

        @Override
        public int size() {
            return entries.size();
        }

        @Override
        public List<LogEntry> entries() {
            reads++;
            return entries;
        }
    }

    @Test
    void appendingToAFullStoredLogDropsTheOldestWithoutReadingThem() {
        Counted stored = new Counted(entries("s", 200));
        SessionLog log = SessionLog.of(stored).append(new LogEntry(AT, "new 1")).append(new LogEntry(AT, "new 2"));
        assertThat(stored.reads).isZero();
        assertThat(log.size()).isEqualTo(200);
        assertThat(log.dropped()).isEqualTo(2);
        assertThat(log.added()).extracting(LogEntry::entry).containsExactly("new 1", "new 2");
        List<String> expected = new ArrayList<>(IntStream.range(2, 200).mapToObj(i -> "s" + i).toList());
        expected.addAll(List.of("new 1", "new 2"));
        assertThat(log.entries()).extracting(LogEntry::entry).containsExactlyElementsOf(expected);
    }

    @Test
    void moreThan200AppendedAtOnceKeepsTheNewest200AndNoneOfTheStored() {
        SessionLog log = SessionLog.of(new Counted(entries("s", 50))).appendAll(entries("a", 230));
        assertThat(log.dropped()).isEqualTo(50);
        assertThat(log.added()).hasSize(200);
        assertThat(log.added().get(0).entry()).isEqualTo("a30");
        assertThat(log.entries()).extracting(LogEntry::entry).endsWith("a229").hasSize(200);
    }

    @Test
    void aStoredLogLongerThanTheViewShowsOnlyItsNewest() {
        SessionLog log = SessionLog.of(new Counted(entries("s", 211)));
        assertThat(log.dropped()).isEqualTo(11);
        assertThat(log.entries()).hasSize(200).first().extracting(LogEntry::entry).isEqualTo("s11");
    }
}
