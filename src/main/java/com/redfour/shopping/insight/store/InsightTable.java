package com.redfour.shopping.insight.store;

import com.redfour.shopping.insight.Figures;
import com.redfour.shopping.insight.InsightQuery;
import com.redfour.shopping.insight.InsightQuery.Breakdown;
import com.redfour.shopping.insight.InsightQuery.Touch;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a store's insights (V9): the folded figures of {@code insight_day} and the deltas not yet folded,
 * summed in one statement, so that every change of a session's facts is counted exactly once however far
 * the fold has got. The statement ranks the keys and sums those past the limit into one row, so that a
 * window with many keys (landing pages) sends back at most {@code limit} + 1 keys.
 */
@ApplicationScoped
public class InsightTable {

    private static final String SUMS = "sum(sessions) AS sessions, sum(with_items) AS with_items, sum(converted) AS converted,"
            + " sum(abandoned) AS abandoned, sum(lost) AS lost, sum(recovered) AS recovered, sum(revenue) AS revenue,"
            + " sum(abandoned_value) AS abandoned_value";
    private static final String FIGURES = "sessions, with_items, converted, abandoned, lost, recovered, revenue, abandoned_value";

    private final Pool pool;
    private final Map<Touch, Map<Breakdown, String>> statements = new EnumMap<>(Touch.class);

    InsightTable(Pool pool) {
        this.pool = pool;
        for (Touch touch : Touch.values()) {
            Map<Breakdown, String> byBreakdown = new EnumMap<>(Breakdown.class);
            for (Breakdown by : Breakdown.values()) {
                byBreakdown.put(by, statement(touch, by));
            }
            statements.put(touch, byBreakdown);
        }
    }

    /**
     * The statement for one touch and breakdown: $1 store, $2 first day, $3 last day, $4 limit. Its rows:
     * rank (null for the rest), key, currency, figures; ranked by sessions (then key, bytewise), days by date.
     */
    static String statement(Touch touch, Breakdown by) {
        String dimension = by.isDimension() ? by.wireName() : Breakdown.SOURCE.wireName();
        // Keys compare bytewise (collation "C"): the same order on every database, and grouping and
        // sorting many keys (landing pages) without the locale's rules is several times faster.
        String folded = switch (by) {
            case DAY -> "day::text COLLATE \"C\"";
            case NONE -> "''";
            default -> "key COLLATE \"C\"";
        };
        String unfolded = switch (by) {
            case DAY -> "day::text COLLATE \"C\"";
            case NONE -> "''";
            default -> touch.wireName() + "_" + by.wireName() + " COLLATE \"C\"";
        };
        String order = by == Breakdown.DAY ? "key" : "sum(sessions) DESC, key";
        return "WITH a AS (SELECT " + folded + " AS key, currency, " + FIGURES + " FROM insight_day"
                + " WHERE store = $1 AND touch = '" + touch.wireName() + "' AND dimension = '" + dimension + "'"
                + " AND day BETWEEN $2 AND $3"
                + " UNION ALL SELECT " + unfolded + ", currency, " + FIGURES + " FROM insight_delta"
                + " WHERE store = $1 AND day BETWEEN $2 AND $3),"
                + " g AS (SELECT key, currency, " + SUMS + " FROM a GROUP BY key, currency HAVING sum(sessions) <> 0),"
                + " r AS (SELECT key, row_number() OVER (ORDER BY " + order + ") AS rank FROM g GROUP BY key)"
                + " SELECT CASE WHEN r.rank <= $4 THEN r.rank END AS rank, CASE WHEN r.rank <= $4 THEN g.key END AS key,"
                + " g.currency, " + SUMS + " FROM g JOIN r ON r.key = g.key GROUP BY 1, 2, 3 ORDER BY 1 NULLS LAST, 3";
    }

    /** The store's insights for {@code query}. */
    public Uni<InsightQuery.Answer> read(InsightQuery query) {
        return pool.preparedQuery(statements.get(query.touch()).get(query.by()))
                .execute(Tuple.of(query.store(), query.from(), query.to(), query.limit()))
                .map(rows -> {
                    Map<String, Figures> ranked = new LinkedHashMap<>();
                    Figures other = null;
                    for (Row row : rows) {
                        Figures figures = figures(row);
                        if (row.getLong("rank") == null) {
                            other = other == null ? figures : other.plus(figures);
                        } else {
                            ranked.merge(key(query.by(), row.getString("key")), figures, Figures::plus);
                        }
                    }
                    List<InsightQuery.Row> out = new ArrayList<>(ranked.size() + 1);
                    ranked.forEach((key, figures) -> out.add(new InsightQuery.Row(key, figures)));
                    if (other != null) {
                        out.add(new InsightQuery.Row(InsightQuery.OTHER, other));
                    }
                    return new InsightQuery.Answer(query, out, Figures.sum(out, InsightQuery.Row::figures));
                });
    }

    private static String key(Breakdown by, String key) {
        return by == Breakdown.NONE ? InsightQuery.ALL : key;
    }

    private static Figures figures(Row row) {
        String currency = row.getString("currency");
        BigDecimal revenue = row.getBigDecimal("revenue");
        BigDecimal abandonedValue = row.getBigDecimal("abandoned_value");
        return new Figures(row.getLong("sessions"), row.getLong("with_items"), row.getLong("converted"),
                row.getLong("abandoned"), row.getLong("recovered"),
                Map.of(currency, new Figures.Amounts(row.getLong("converted"), revenue.setScale(Math.max(2, revenue.scale())),
                        row.getLong("lost"), abandonedValue.setScale(Math.max(2, abandonedValue.scale())))));
    }
}
