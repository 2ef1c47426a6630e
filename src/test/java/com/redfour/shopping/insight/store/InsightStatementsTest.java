package com.redfour.shopping.insight.store;

import com.redfour.shopping.insight.InsightQuery.Breakdown;
import com.redfour.shopping.insight.InsightQuery.Touch;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The statement whose plan bench/insights.sh shows is the one the service runs (whitespace aside). */
class InsightStatementsTest {

    @Test
    void theBenchmarksStatementIsTheServices() throws Exception {
        String bench = Files.readString(Path.of("bench", "sql", "insights_source.sql"));
        assertThat(normal(bench)).isEqualTo(normal(InsightTable.statement(Touch.FIRST, Breakdown.SOURCE)));
    }

    private static String normal(String sql) {
        return sql.strip().replaceAll("\\s+", " ").replace("( ", "(").replace(" )", ")");
    }
}
