package org.ftl.decide;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The metrics table's columns, declared once: the sweep fills them ({@code sweep/MetricsTable}), the decision
 * function reads them (and {@code baseline_<column>} for the {@link #baselineReadable} ones), the run folder's files,
 * the history and the report are made of them, and the README's list is checked against them. The first twenty are
 * the contract of ARCHITECTURE.md, in its order; the rest are what a sweep adds. Ratios are against the unpruned
 * baseline (f = 1) of the same run.
 */
public enum Metric {
    CANDIDATE(Type.TEXT, "the candidate's id: criterion and leave factor, e.g. iou-0.25"),
    CRITERION(Type.TEXT, "how filters were chosen: iou, l1, random, apoz, or baseline"),
    LEAVE_FACTOR(Type.REAL, "the fraction of each layer's filters kept"),
    FILTERS_LEFT(Type.WHOLE, "conv filters left, all layers"),
    FILTERS_RATIO(Type.REAL, "filters_left / the baseline's"),
    PARAMS(Type.WHOLE, "parameters of the pruned conv chain, batch-norm folded (the head is not counted)"),
    PARAMS_RATIO(Type.REAL, "params / the baseline's"),
    FLOPS(Type.WHOLE, "floating-point operations per image of the deployed classifier"),
    SIZE_BYTES(Type.WHOLE, "bytes of the candidate's model.onnx"),
    LATENCY_MS(Type.REAL, "batch-1 latency in ONNX Runtime on cost.threads threads, ms"),
    LATENCY_RATIO(Type.REAL, "latency_ms / the baseline's, timed alternately with it"),
    ACCURACY(Type.REAL, "on evaluation/"),
    PRECISION(Type.REAL, "of the target class, on evaluation/"),
    RECALL(Type.REAL, "of the target class, on evaluation/"),
    F1(Type.REAL, "of the target class, on evaluation/"),
    AUC(Type.REAL, "area under the ROC curve of the target class, on evaluation/"),
    SCORE(Type.REAL, "the decision function's value"),
    RANK(Type.INTEGER, "1 = the winner; empty when unranked (failed, or outside decision.constraints)"),
    STATUS(Type.TEXT, "ok or failed"),
    ERROR(Type.TEXT, "why a failed candidate failed"),

    FILTER_COUNTS(Type.TEXT, "kept/total filters per conv layer, e.g. 17/48 46/128"),
    HEAD_C(Type.REAL, "the head's C, chosen by cross-validation"),
    CV_SCORE(Type.REAL, "the chosen C's mean held-out score (head.cv-metric)"),
    LATENCY_BASELINE_MS(Type.REAL, "the baseline's latency in the same alternation, ms"),
    LATENCY_REPETITIONS(Type.INTEGER, "timed runs of each network"),
    CONFUSION(Type.TEXT, "the confusion matrix on evaluation/, rows true classes"),
    TRAIN_IMAGES(Type.INTEGER, "images the head was trained on"),
    EVALUATION_IMAGES(Type.INTEGER, "images of evaluation/");

    /** A column's kind of value; each maps to one Spark SQL type in {@link MetricsColumns}. */
    public enum Type { TEXT, REAL, WHOLE, INTEGER }

    /** How many of the first columns are the contract's (ARCHITECTURE.md); the rest are the sweep's additions. */
    public static final int STANDARD_COUNT = 20;

    private final Type type;
    private final String meaning;

    Metric(Type type, String meaning) {
        this.type = type;
        this.meaning = meaning;
    }

    /** The column's name in every file and in the decision function: e.g. params_ratio. */
    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Type type() {
        return type;
    }

    public String meaning() {
        return meaning;
    }

    /** One of the contract's columns. */
    public boolean standard() {
        return ordinal() < STANDARD_COUNT;
    }

    /** The decision function may read the baseline's value as {@code baseline_<column>}. */
    public boolean baselineReadable() {
        return ordinal() >= FILTERS_LEFT.ordinal() && ordinal() <= AUC.ordinal();
    }

    /** The winner's values a history row keeps (history.csv), in this order. */
    public static final List<Metric> HISTORY = List.of(CRITERION, LEAVE_FACTOR, F1, ACCURACY, PRECISION, RECALL, AUC,
            PARAMS, PARAMS_RATIO, FLOPS, SIZE_BYTES, LATENCY_MS, LATENCY_RATIO, SCORE);

    /** Every column's name, in table order. */
    public static List<String> columns() {
        return Arrays.stream(values()).map(Metric::column).toList();
    }

    /** The metric of a column name. */
    public static Metric of(String column) {
        return valueOf(column.toUpperCase(Locale.ROOT));
    }
}
