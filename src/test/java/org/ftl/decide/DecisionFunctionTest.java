package org.ftl.decide;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.ftl.FtlError;
import org.ftl.LocalSpark;
import org.ftl.config.ConfigError;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecisionFunctionTest {
    /** candidate, criterion, f, params, f1, status */
    private static Dataset<Row> table(Object[][] rows) {
        List<Row> out = new ArrayList<>();
        int n = MetricsColumns.all().size();
        for (Object[] r : rows) {
            Object[] v = new Object[n];
            v[0] = r[0];
            v[1] = r[1];
            v[2] = r[2];
            v[5] = r[3];
            v[14] = r[4];
            v[18] = r[5];
            out.add(RowFactory.create(v));
        }
        return LocalSpark.get().createDataFrame(out, MetricsColumns.all());
    }

    private static final Object[][] ROWS = {
            {"baseline-1.00", "baseline", 1.0, 1000L, 0.90, "ok"},
            {"iou-0.10", "iou", 0.1, 20L, 0.88, "ok"},      // 0.9778 + 0.98  = 1.9578
            {"iou-0.50", "iou", 0.5, 300L, 0.93, "ok"},     // 1.0333 + 0.70  = 1.7333
            {"l1-0.10", "l1", 0.1, 20L, 0.80, "ok"},        // 0.8889 + 0.98  = 1.8689
            {"random-0.10", "random", 0.1, 20L, 0.99, "failed"},
    };

    private static Map<String, Integer> ranks(Dataset<Row> ranked) {
        Map<String, Integer> m = new TreeMap<>();
        for (Row r : ranked.collectAsList()) {
            m.put(r.getAs("candidate"), r.isNullAt(r.fieldIndex("rank")) ? null : r.getAs("rank"));
        }
        return m;
    }

    @Test
    void defaultRanksByTheExpression() {
        DecisionFunction d = new DecisionFunction(DecisionFunction.DEFAULT, List.of());
        d.validate(LocalSpark.get());
        Dataset<Row> ranked = d.rank(table(ROWS));
        Map<String, Integer> r = ranks(ranked);
        assertEquals(1, r.get("iou-0.10"));
        assertEquals(2, r.get("l1-0.10"));
        assertEquals(3, r.get("iou-0.50"));
        assertEquals(4, r.get("baseline-1.00")); // 1 + 0
        assertNull(r.get("random-0.10"), "a failed candidate is not ranked");
        Row first = ranked.first();
        assertEquals("iou-0.10", first.getAs("candidate"));
        assertEquals(0.88 / 0.90 + 0.98, (double) first.getAs("score"), 1e-12);
        assertEquals(MetricsColumns.all().size(), ranked.columns().length, "no helper columns left behind");
    }

    @Test
    void constraintsLeaveOutWhoMissesThem() {
        DecisionFunction d = new DecisionFunction(DecisionFunction.DEFAULT, List.of("f1 >= baseline_f1 - 0.01"));
        Map<String, Integer> r = ranks(d.rank(table(ROWS)));
        assertEquals(1, r.get("iou-0.50"));
        assertEquals(2, r.get("baseline-1.00"));
        assertNull(r.get("iou-0.10"));
        assertNull(r.get("l1-0.10"));
    }

    @Test
    void anotherExpressionRanksAsItSays() {
        DecisionFunction d = new DecisionFunction("-params + f1", List.of());
        Map<String, Integer> r = ranks(d.rank(table(ROWS)));
        assertEquals(1, r.get("iou-0.10"), "ties on score go to fewer params, then the id: iou-0.10 < l1-0.10");
        assertEquals(2, r.get("l1-0.10"));
    }

    @Test
    void badExpressionsFailWithTheParsersMessageNamingTheSetting() {
        ConfigError syntax = assertThrows(ConfigError.class,
                () -> new DecisionFunction("f1 / / params", List.of()).validate(LocalSpark.get()));
        assertTrue(syntax.getMessage().startsWith("ftl.decision.score = \"f1 / / params\": "), syntax.getMessage());
        ConfigError unknown = assertThrows(ConfigError.class,
                () -> new DecisionFunction("f2 + params", List.of()).validate(LocalSpark.get()));
        assertTrue(unknown.getMessage().contains("f2"), unknown.getMessage());
        ConfigError constraint = assertThrows(ConfigError.class,
                () -> new DecisionFunction(DecisionFunction.DEFAULT, List.of("nonsense_column > 1")).validate(LocalSpark.get()));
        assertTrue(constraint.getMessage().startsWith("ftl.decision.constraints"), constraint.getMessage());
    }

    @Test
    void aFailedBaselineStopsTheRanking() {
        Object[][] rows = {{"baseline-1.00", "baseline", 1.0, 1000L, 0.90, "failed"}, ROWS[1]};
        assertThrows(FtlError.class, () -> new DecisionFunction(DecisionFunction.DEFAULT, List.of()).rank(table(rows)));
    }
}
