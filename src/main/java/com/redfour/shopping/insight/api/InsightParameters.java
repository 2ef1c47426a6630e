package com.redfour.shopping.insight.api;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.insight.InsightQuery;
import com.redfour.shopping.insight.InsightQuery.Breakdown;
import com.redfour.shopping.insight.InsightQuery.Touch;
import jakarta.ws.rs.core.MultivaluedMap;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The insights' query parameters, read from the query string as given (so that an empty or repeated
 * parameter is refused too) and checked: any that breaks its rule is a 400 naming it. The window
 * defaults to the 30 days that end today (UTC): {@code to} defaults to today, {@code from} to 29 days
 * before {@code to}.
 */
final class InsightParameters {

    // uuuu-MM-dd, strictly: 2026-02-30 is not a date (the lenient default would make it 2026-02-28).
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT);
    private static final Pattern DATE_TEXT = Pattern.compile("^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    private static final Pattern LIMIT = Pattern.compile("^[0-9]{1,4}$");

    private InsightParameters() {
    }

    static InsightQuery of(String store, MultivaluedMap<String, String> given, LocalDate today) {
        LocalDate to = date(given, "to", today);
        LocalDate from = date(given, "from", to.minusDays(InsightQuery.DEFAULT_DAYS - 1));
        if (to.isBefore(from)) {
            throw ApiProblem.invalidRequest("from must not be after to");
        }
        if (InsightQuery.days(from, to) > InsightQuery.MAX_DAYS) {
            throw ApiProblem.invalidRequest("the window from..to must span at most " + InsightQuery.MAX_DAYS + " days");
        }
        return new InsightQuery(store, from, to, breakdown(one(given, "by")), touch(one(given, "touch")),
                limit(one(given, "limit")));
    }

    /** The parameter's one value, null when absent; a 400 when given more than once. */
    private static String one(MultivaluedMap<String, String> given, String name) {
        List<String> values = given.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw ApiProblem.invalidRequest(name + " must be given at most once");
        }
        return values.get(0);
    }

    private static LocalDate date(MultivaluedMap<String, String> given, String name, LocalDate otherwise) {
        String value = one(given, name);
        if (value == null) {
            return otherwise;
        }
        if (DATE_TEXT.matcher(value).matches()) {
            try {
                return LocalDate.parse(value, DATE);
            } catch (DateTimeParseException e) {
                // answered below
            }
        }
        throw ApiProblem.invalidRequest(name + " must be a date (UTC) written YYYY-MM-DD, such as 2026-11-30");
    }

    private static Breakdown breakdown(String value) {
        if (value == null) {
            return Breakdown.SOURCE;
        }
        for (Breakdown by : Breakdown.values()) {
            if (by.wireName().equals(value)) {
                return by;
            }
        }
        throw ApiProblem.invalidRequest("by must be one of source, medium, campaign, referrer, landing, day, none");
    }

    private static Touch touch(String value) {
        if (value == null) {
            return Touch.FIRST;
        }
        for (Touch touch : Touch.values()) {
            if (touch.wireName().equals(value)) {
                return touch;
            }
        }
        throw ApiProblem.invalidRequest("touch must be first or last");
    }

    private static int limit(String value) {
        if (value == null) {
            return InsightQuery.DEFAULT_LIMIT;
        }
        if (LIMIT.matcher(value).matches()) {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= InsightQuery.MAX_LIMIT) {
                return limit;
            }
        }
        throw ApiProblem.invalidRequest("limit must be an integer from 1 to " + InsightQuery.MAX_LIMIT);
    }
}
