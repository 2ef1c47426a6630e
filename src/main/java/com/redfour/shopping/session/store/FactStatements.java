package com.redfour.shopping.session.store;

import com.redfour.shopping.session.SessionFacts;

import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The parts of a session's write statements that keep its insights facts (V9): the {@code session_fact}
 * row of the session's life and the {@code insight_delta} rows that say what its change adds to the
 * figures (the old contribution with sign -1, the new one with +1). They run in the statement that writes
 * the session, after its version check passed ({@code w}, which returns the row's {@code created_at} and
 * whether it was reported abandoned), so the facts change exactly when, and only when, the session does.
 *
 * <p>A session's facts are given as one {@code text[]} ({@link #values}); the sticky facts are kept by
 * the statements: {@code with_items} once true stays true, and only the abandoned-cart scan's mark sets
 * {@code abandoned} (and from then on every change keeps {@code value}, the total, current).
 */
public final class FactStatements {

    private static final String DIMENSIONS = Stream.of("first", "last")
            .flatMap(touch -> Stream.of("source", "medium", "campaign", "referrer", "landing").map(d -> touch + "_" + d))
            .collect(Collectors.joining(", "));

    private static final String DELTA = "INSERT INTO insight_delta (store, day, currency, " + DIMENSIONS
            + ", sessions, with_items, converted, abandoned, lost, recovered, revenue, abandoned_value) ";

    // The deltas of an update CTE fu that returns each row before (fo, read under its lock in the same
    // statement, so it is the row the update changed) and after (f), when they differ. (Reading the row in a
    // CTE of its own would not do: the statement may run the update first, and the read then skips the row.)
    private static final String MOVED = ", fd AS (" + DELTA + "SELECT " + contribution("(fo)", -1)
            + " FROM fu WHERE fo IS DISTINCT FROM f UNION ALL SELECT " + contribution("(f)", 1)
            + " FROM fu WHERE fo IS DISTINCT FROM f)";

    // The facts array: day, currency, the ten dimensions, has lines, converted, recovered, revenue, value.
    private static final String FROM_VALUES = "v[1]::date, v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12]";

    private FactStatements() {
    }

    /** A session's facts as the statements take them. */
    static String[] values(SessionFacts facts) {
        SessionFacts.Keys first = facts.first();
        SessionFacts.Keys last = facts.last();
        return new String[] {facts.day().toString(), facts.currency(), first.source(), first.medium(), first.campaign(),
                first.referrer(), first.landing(), last.source(), last.medium(), last.campaign(), last.referrer(),
                last.landing(), Boolean.toString(facts.hasLines()), Boolean.toString(facts.converted()),
                Boolean.toString(facts.recovered()), facts.revenue().toPlainString(), facts.value().toPlainString()};
    }

    /** The facts of a change that moved none of them but the value (the total): the rest stays as stored. */
    static String[] valueOnly(java.math.BigDecimal value) {
        String[] values = new String[17];
        values[16] = value.toPlainString();
        return values;
    }

    /** A create: the new life's facts ({@code $facts}), and their contribution. */
    static String created(int facts) {
        return ", fn AS (INSERT INTO session_fact (store, session_key, created_at, day, currency, " + DIMENSIONS
                + ", with_items, converted, abandoned, recovered, revenue, value)"
                + " SELECT $1, $2, w.created_at, " + FROM_VALUES + ", v[13]::boolean, v[14]::boolean, false,"
                + " v[15]::boolean, v[16]::numeric, v[17]::numeric FROM w, (SELECT $" + facts + "::text[] AS v) p"
                + " RETURNING *)"
                + ", fd AS (" + DELTA + "SELECT " + contribution("fn", 1) + " FROM fn)";
    }

    /**
     * A change: when {@code $changed} says its facts moved, or the session was reported abandoned (whose
     * value follows the total), the life's row takes the facts ({@code $facts}; a null keeps what is stored:
     * {@link #valueOnly}) and the change's contribution is recorded; a row that does not change records nothing. A session created before V9 has no row and
     * gets none.
     */
    static String changed(int facts, int changed) {
        return ", fu AS (UPDATE session_fact f SET currency = coalesce(v[2], f.currency),"
                + " last_source = coalesce(v[8], f.last_source), last_medium = coalesce(v[9], f.last_medium),"
                + " last_campaign = coalesce(v[10], f.last_campaign), last_referrer = coalesce(v[11], f.last_referrer),"
                + " last_landing = coalesce(v[12], f.last_landing), with_items = f.with_items OR coalesce(v[13]::boolean, false),"
                + " converted = coalesce(v[14]::boolean, f.converted), recovered = coalesce(v[15]::boolean, f.recovered),"
                + " revenue = coalesce(v[16]::numeric, f.revenue), value = v[17]::numeric"
                + " FROM (SELECT o.* FROM w JOIN session_fact o ON o.store = $1 AND o.session_key = $2"
                + " AND o.created_at = w.created_at WHERE $" + changed + " OR w.abandoned FOR UPDATE OF o) fo,"
                + " (SELECT $" + facts + "::text[] AS v) p"
                + " WHERE f.store = fo.store AND f.session_key = fo.session_key AND f.created_at = fo.created_at"
                + " RETURNING fo, f)"
                + MOVED;
    }

    /** A delete: the life's facts go, and so does their contribution. */
    static String forgotten() {
        return ", fx AS (DELETE FROM session_fact f USING w WHERE f.store = $1 AND f.session_key = $2"
                + " AND f.created_at = w.created_at RETURNING f.*)"
                + ", fd AS (" + DELTA + "SELECT " + contribution("fx", -1) + " FROM fx)";
    }

    /**
     * The abandoned-cart scan's mark, after {@code marked} (a CTE of {@code store, key, created_at, value}:
     * the sessions it marked and their totals): each life's facts become abandoned with that value.
     */
    public static String abandoned(String marked) {
        return ", fu AS (UPDATE session_fact f SET abandoned = true, value = m.value"
                + " FROM " + marked + " m, (SELECT o.* FROM " + marked + " n JOIN session_fact o ON o.store = n.store"
                + " AND o.session_key = n.key AND o.created_at = n.created_at FOR UPDATE OF o) fo"
                + " WHERE f.store = m.store AND f.session_key = m.key AND f.created_at = m.created_at"
                + " AND fo.store = f.store AND fo.session_key = f.session_key AND fo.created_at = f.created_at"
                + " RETURNING fo, f)"
                + MOVED;
    }

    /** The select list of what the facts row {@code f} (an alias, or a composite in parentheses) adds to the figures, times {@code sign}. */
    private static String contribution(String f, int sign) {
        String dims = Stream.of(DIMENSIONS.split(", ")).map(d -> f + "." + d).collect(Collectors.joining(", "));
        String lost = "(" + f + ".abandoned AND NOT " + f + ".converted)";
        return f + ".store, " + f + ".day, " + f + ".currency, " + dims + ", " + sign
                + ", " + sign + " * " + f + ".with_items::int"
                + ", " + sign + " * " + f + ".converted::int"
                + ", " + sign + " * " + f + ".abandoned::int"
                + ", " + sign + " * " + lost + "::int"
                + ", " + sign + " * (" + f + ".converted AND " + f + ".recovered)::int"
                + ", CASE WHEN " + f + ".converted THEN " + sign + " * " + f + ".revenue ELSE 0 END"
                + ", CASE WHEN " + lost + " THEN " + sign + " * " + f + ".value ELSE 0 END";
    }
}
