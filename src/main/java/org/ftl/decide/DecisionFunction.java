package org.ftl.decide;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.StructType;
import org.ftl.FtlError;
import org.ftl.config.ConfigError;

import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

/**
 * Picks the variant to deploy: a Spark SQL expression over the metrics columns and {@code baseline_<column>}
 * (the f = 1 row's values), optional conditions a candidate must meet, then a rank. Larger scores rank first;
 * ties go to fewer parameters, then to the candidate id. Failed candidates and those that miss a condition
 * get no score and no rank.
 */
public final class DecisionFunction {
    public static final String DEFAULT = "f1 / baseline_f1 + (1 - params / baseline_params)";

    private final String score;
    private final List<String> constraints;

    public DecisionFunction(String score, List<String> constraints) {
        this.score = score;
        this.constraints = List.copyOf(constraints);
    }

    public String score() {
        return score;
    }

    public List<String> constraints() {
        return constraints;
    }

    /**
     * Checks the expressions against the metrics columns before any work is done: a syntax error or an
     * unknown column stops the run with Spark's own message, naming the setting.
     */
    public void validate(SparkSession spark) {
        Dataset<Row> empty = spark.createDataFrame(new ArrayList<Row>(), withBaselineColumns(MetricsColumns.all()));
        check(() -> empty.select(expr(score)).schema(), "ftl.decision.score", score);
        for (String c : constraints) {
            check(() -> empty.filter(expr(c)).schema(), "ftl.decision.constraints", c);
        }
    }

    private static void check(Runnable analyse, String key, String text) {
        try {
            analyse.run();
        } catch (Exception e) { // Spark's ParseException is a checked exception thrown from Scala
            Throwable t = e;
            if (!(t instanceof AnalysisException) && t.getCause() instanceof AnalysisException) {
                t = t.getCause();
            }
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            throw new ConfigError(key + " = \"" + text + "\": " + msg.strip());
        }
    }

    private static StructType withBaselineColumns(StructType schema) {
        StructType s = schema;
        for (String c : MetricsColumns.NUMERIC) {
            s = s.add("baseline_" + c, schema.apply(c).dataType(), true);
        }
        return s;
    }

    /**
     * Adds {@code score} and {@code rank} to a metrics table (replacing any there). The baseline is the row of
     * criterion "baseline", or else the first row with leave factor 1; it must have status ok.
     */
    public Dataset<Row> rank(Dataset<Row> metrics) {
        Row baseline = baselineRow(metrics);
        Dataset<Row> t = metrics.drop("score", "rank");
        for (String c : MetricsColumns.NUMERIC) {
            Object v = baseline.isNullAt(baseline.fieldIndex(c)) ? null : baseline.get(baseline.fieldIndex(c));
            t = t.withColumn("baseline_" + c, lit(v).cast(metrics.schema().apply(c).dataType()));
        }
        Column eligible = col("status").equalTo("ok");
        for (String c : constraints) {
            eligible = eligible.and(expr(c));
        }
        Column s = expr(score).cast("double");
        t = t.withColumn("score", when(eligible.and(s.isNotNull()).and(s.isNaN().equalTo(false)), s));
        // one small table: a single-partition window is fine
        Column order = col("score").desc_nulls_last();
        t = t.withColumn("rank", when(col("score").isNotNull(),
                row_number().over(Window.orderBy(order, col("params").asc(), col("candidate").asc()))));
        for (String c : MetricsColumns.NUMERIC) {
            t = t.drop("baseline_" + c);
        }
        List<Column> ordered = new ArrayList<>();
        for (String name : metrics.columns()) {
            ordered.add(col(name));
        }
        if (!List.of(metrics.columns()).contains("score")) {
            ordered.add(col("score"));
        }
        if (!List.of(metrics.columns()).contains("rank")) {
            ordered.add(col("rank"));
        }
        return t.select(ordered.toArray(new Column[0])).orderBy(col("rank").asc_nulls_last(), col("candidate"));
    }

    static Row baselineRow(Dataset<Row> metrics) {
        List<Row> rows = metrics.filter(col("criterion").equalTo("baseline")).collectAsList();
        if (rows.isEmpty()) {
            rows = metrics.filter(col("leave_factor").geq(1.0)).limit(1).collectAsList();
        }
        if (rows.isEmpty()) {
            throw new FtlError("the metrics have no baseline row (criterion 'baseline' or leave_factor 1): "
                    + "the decision function compares every candidate with it");
        }
        Row b = rows.get(0);
        if (!"ok".equals(b.getAs("status"))) {
            throw new FtlError("the baseline (f = 1) failed, nothing can be ranked against it: " + b.getAs("error"));
        }
        return b;
    }
}
