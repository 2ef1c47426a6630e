package com.redfour.shopping.insight;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * What a store asks of its insights: the sessions created on the days {@code from}..{@code to} (UTC,
 * inclusive), broken down {@code by} one dimension of the {@code touch} credited, at most {@code limit}
 * rows (the rest summed into {@link #OTHER}).
 */
public record InsightQuery(String store, LocalDate from, LocalDate to, Breakdown by, Touch touch, int limit) {

    public static final int MAX_DAYS = 366;
    public static final int DEFAULT_DAYS = 30;
    public static final int MAX_LIMIT = 500;
    public static final int DEFAULT_LIMIT = 50;
    /** The key of the row that sums what is past the limit. */
    public static final String OTHER = "(other)";
    /** The key of the one row of {@code by=none}, and of the totals. */
    public static final String ALL = "(all)";

    /** Which touch a session is credited to. */
    public enum Touch {
        FIRST, LAST;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What a row stands for. */
    public enum Breakdown {
        SOURCE, MEDIUM, CAMPAIGN, REFERRER, LANDING, DAY, NONE;

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The dimensions stored per session (day and none are derived from any of them). */
        public boolean isDimension() {
            return this != DAY && this != NONE;
        }
    }

    public InsightQuery {
        if (to.isBefore(from) || days(from, to) > MAX_DAYS) {
            throw new IllegalArgumentException("a window of 1.." + MAX_DAYS + " days, not " + from + ".." + to);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit 1.." + MAX_LIMIT);
        }
    }

    /** How many days {@code from}..{@code to} spans, both included. */
    public static long days(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** The answer: the rows in order, and the totals of every session in the window. */
    public record Answer(InsightQuery query, List<Row> rows, Figures totals) {
    }

    /** One row: its key (a source, a medium, a date, {@link #OTHER}, ...) and its figures. */
    public record Row(String key, Figures figures) {
    }
}
