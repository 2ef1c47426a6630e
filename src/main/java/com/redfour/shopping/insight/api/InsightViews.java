package com.redfour.shopping.insight.api;

import com.redfour.shopping.insight.Figures;
import com.redfour.shopping.insight.InsightQuery;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/** The insights' response: as JSON, and as CSV. */
final class InsightViews {

    private InsightViews() {
    }

    /** The JSON body. */
    @RegisterForReflection
    @Schema(requiredProperties = {"from", "to", "by", "touch", "rows", "totals"})
    record Insights(@Schema(format = "date") String from, @Schema(format = "date") String to,
            @Schema(enumeration = {"source", "medium", "campaign", "referrer", "landing", "day", "none"}) String by,
            @Schema(enumeration = {"first", "last"}) String touch,
            @Schema(description = "By sessions, most first (by=day: by date), then by key; at most limit, and then "
                    + "`(other)` summing the rest") List<Row> rows,
            @Schema(description = "Every session of the window (key `(all)`)") Row totals) {

        static Insights of(InsightQuery.Answer answer) {
            InsightQuery q = answer.query();
            return new Insights(q.from().toString(), q.to().toString(), q.by().wireName(), q.touch().wireName(),
                    answer.rows().stream().map(r -> Row.of(r.key(), r.figures())).toList(),
                    Row.of(InsightQuery.ALL, answer.totals()));
        }
    }

    /** One row. Money is per currency code; a currency appears where the row has a session it counts. */
    @RegisterForReflection
    @Schema(requiredProperties = {"key", "sessions", "withItems", "converted", "abandoned", "recovered", "conversionRate",
            "revenue", "averageOrderValue", "abandonedValue"})
    record Row(
            @Schema(description = "The source, medium, campaign, referrer host, landing path or date (YYYY-MM-DD); "
                    + "`(direct)`, `(none)`, `(other)`, or `(all)` (by=none, totals)") String key,
            @Schema(description = "Sessions created in the window") long sessions,
            @Schema(description = "Of those, the ones that had at least one line at some point") long withItems,
            @Schema(description = "Closed (POST /close)") long converted,
            @Schema(description = "Reported abandoned (session.abandoned) at least once") long abandoned,
            @Schema(description = "Converted with a restored cart (recoveredFrom set)") long recovered,
            @Schema(description = "converted / sessions, rounded half-even to 4 decimals; 0 without sessions") BigDecimal conversionRate,
            @Schema(description = "The converted sessions' totals at close, per currency") Map<String, BigDecimal> revenue,
            @Schema(description = "revenue / converted, per currency, rounded half-even to cents") Map<String, BigDecimal> averageOrderValue,
            @Schema(description = "The totals of the abandoned sessions that did not convert, as of their last change, per currency")
            Map<String, BigDecimal> abandonedValue) {

        static Row of(String key, Figures f) {
            return new Row(key, f.sessions(), f.withItems(), f.converted(), f.abandoned(), f.recovered(), f.conversionRate(),
                    f.revenue(), f.averageOrderValue(), f.abandonedValue());
        }
    }

    /**
     * The rows as CSV (RFC 4180, CRLF): a header line, then one line per row, with one column per currency
     * amount ({@code revenue.USD}, ...; empty where the row has none). A field that a spreadsheet would run
     * as a formula (it begins with {@code = + - @}, a tab or a carriage return) is prefixed with {@code '}.
     */
    static String csv(Insights insights) {
        Set<String> currencies = new TreeSet<>();
        insights.rows().forEach(r -> {
            currencies.addAll(r.revenue().keySet());
            currencies.addAll(r.abandonedValue().keySet());
        });
        StringBuilder out = new StringBuilder();
        StringBuilder header = new StringBuilder("key,sessions,withItems,converted,abandoned,recovered,conversionRate");
        for (String money : List.of("revenue", "averageOrderValue", "abandonedValue")) {
            currencies.forEach(c -> header.append(',').append(money).append('.').append(c));
        }
        out.append(header).append("\r\n");
        for (Row r : insights.rows()) {
            out.append(field(r.key())).append(',').append(r.sessions()).append(',').append(r.withItems()).append(',')
                    .append(r.converted()).append(',').append(r.abandoned()).append(',').append(r.recovered()).append(',')
                    .append(r.conversionRate().toPlainString());
            for (Function<Row, Map<String, BigDecimal>> money : List.<Function<Row, Map<String, BigDecimal>>>of(
                    Row::revenue, Row::averageOrderValue, Row::abandonedValue)) {
                Map<String, BigDecimal> amounts = money.apply(r);
                currencies.forEach(c -> out.append(',').append(amounts.containsKey(c) ? amounts.get(c).toPlainString() : ""));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** A text field: quoted when it holds a comma, quote or line break; defused when a spreadsheet would run it. */
    static String field(String text) {
        String value = !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        return value.chars().anyMatch(ch -> ch == ',' || ch == '"' || ch == '\n' || ch == '\r')
                ? '"' + value.replace("\"", "\"\"") + '"' : value;
    }
}
