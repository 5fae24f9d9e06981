package org.ftl.decide;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/** The metrics table as Spark SQL sees it: {@link Metric}'s columns with their Spark types. */
public final class MetricsColumns {
    /** The contract's columns, in order. */
    public static final StructType STANDARD = struct(Arrays.stream(Metric.values()).filter(Metric::standard).toList());

    /** What a sweep adds: per-layer filter counts, the head's C and cross-validation score, and more. */
    public static final StructType EXTRA = struct(Arrays.stream(Metric.values()).filter(m -> !m.standard()).toList());

    /** Columns the decision function may read as baseline_&lt;column&gt;. */
    public static final List<String> NUMERIC = Arrays.stream(Metric.values()).filter(Metric::baselineReadable)
            .map(Metric::column).toList();

    private static final StructType ALL = struct(List.of(Metric.values()));

    private MetricsColumns() {
    }

    public static StructType all() {
        return ALL;
    }

    /** The Spark SQL type of a metric's values. */
    public static DataType sparkType(Metric m) {
        return switch (m.type()) {
            case TEXT -> DataTypes.StringType;
            case REAL -> DataTypes.DoubleType;
            case WHOLE -> DataTypes.LongType;
            case INTEGER -> DataTypes.IntegerType;
        };
    }

    private static StructType struct(List<Metric> metrics) {
        return new StructType(metrics.stream()
                .map(m -> DataTypes.createStructField(m.column(), sparkType(m), true)).toArray(StructField[]::new));
    }
}
