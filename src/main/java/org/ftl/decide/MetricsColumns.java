package org.ftl.decide;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * The metrics table's columns (the contract in ARCHITECTURE.md), then the extra columns a sweep adds.
 * Ratios are against the baseline (f = 1) of the same run.
 */
public final class MetricsColumns {
    /** The contract's columns, in order. */
    public static final StructType STANDARD = new StructType(new StructField[] {
            field("candidate", DataTypes.StringType),
            field("criterion", DataTypes.StringType),
            field("leave_factor", DataTypes.DoubleType),
            field("filters_left", DataTypes.LongType),
            field("filters_ratio", DataTypes.DoubleType),
            field("params", DataTypes.LongType),
            field("params_ratio", DataTypes.DoubleType),
            field("flops", DataTypes.LongType),
            field("size_bytes", DataTypes.LongType),
            field("latency_ms", DataTypes.DoubleType),
            field("latency_ratio", DataTypes.DoubleType),
            field("accuracy", DataTypes.DoubleType),
            field("precision", DataTypes.DoubleType),
            field("recall", DataTypes.DoubleType),
            field("f1", DataTypes.DoubleType),
            field("auc", DataTypes.DoubleType),
            field("score", DataTypes.DoubleType),
            field("rank", DataTypes.IntegerType),
            field("status", DataTypes.StringType),
            field("error", DataTypes.StringType)});

    /** What a sweep adds: per-layer filter counts, the head's C and cross-validation score, and more. */
    public static final StructType EXTRA = new StructType(new StructField[] {
            field("filter_counts", DataTypes.StringType),
            field("head_c", DataTypes.DoubleType),
            field("cv_score", DataTypes.DoubleType),
            field("latency_baseline_ms", DataTypes.DoubleType),
            field("latency_repetitions", DataTypes.IntegerType),
            field("confusion", DataTypes.StringType),
            field("train_images", DataTypes.IntegerType),
            field("evaluation_images", DataTypes.IntegerType)});

    /** Columns the decision function may read as baseline_&lt;column&gt;. */
    public static final List<String> NUMERIC = List.of("filters_left", "filters_ratio", "params", "params_ratio", "flops",
            "size_bytes", "latency_ms", "latency_ratio", "accuracy", "precision", "recall", "f1", "auc");

    private MetricsColumns() {
    }

    public static StructType all() {
        List<StructField> f = new ArrayList<>(List.of(STANDARD.fields()));
        f.addAll(List.of(EXTRA.fields()));
        return new StructType(f.toArray(new StructField[0]));
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }
}
