package com.redfour.shopping.insight.api;

import com.redfour.shopping.http.ApiProblem;
import com.redfour.shopping.http.QueryParameters;
import com.redfour.shopping.insight.InsightQuery;
import com.redfour.shopping.insight.InsightQuery.Breakdown;
import com.redfour.shopping.insight.InsightQuery.Touch;
import jakarta.ws.rs.core.MultivaluedMap;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.regex.Pattern;

import static com.redfour.shopping.http.QueryParameters.one;

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
        Breakdown by = named(Breakdown.values(), Breakdown::wireName, one(given, "by"), Breakdown.SOURCE,
                "by must be one of source, medium, campaign, referrer, landing, day, none");
        Touch touch = named(Touch.values(), Touch::wireName, one(given, "touch"), Touch.FIRST, "touch must be first or last");
        return new InsightQuery(store, from, to, by, touch,
                QueryParameters.limit(one(given, "limit"), InsightQuery.DEFAULT_LIMIT, InsightQuery.MAX_LIMIT));
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

    /** The value whose wire name {@code value} is; {@code otherwise} when absent; else a 400 saying {@code rule}. */
    private static <T> T named(T[] values, java.util.function.Function<T, String> wireName, String value, T otherwise,
            String rule) {
        if (value == null) {
            return otherwise;
        }
        for (T candidate : values) {
            if (wireName.apply(candidate).equals(value)) {
                return candidate;
            }
        }
        throw ApiProblem.invalidRequest(rule);
    }
}
