package org.ftl.report;

import org.ftl.decide.Metric;

import java.util.Map;
import java.util.OptionalDouble;

/**
 * One candidate's row of metrics.csv, as text: the report only reads, so it keeps the file's values and
 * parses a number when a chart or table asks for one (failed candidates leave most numbers empty).
 */
public record MetricsRow(Map<String, String> values) {
    public static final String BASELINE = "baseline";

    public String text(Metric column) {
        return text(column.column());
    }

    /** The column as a number, or NaN when it is empty or not a number. */
    public double number(Metric column) {
        return number(column.column());
    }

    public OptionalDouble optional(Metric column) {
        return optional(column.column());
    }

    public String text(String column) {
        String v = values.get(column);
        return v == null ? "" : v;
    }

    /** The column as a number, or NaN when it is empty or not a number. */
    public double number(String column) {
        String v = text(column).trim();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    public OptionalDouble optional(String column) {
        double d = number(column);
        return Double.isNaN(d) ? OptionalDouble.empty() : OptionalDouble.of(d);
    }

    public String candidate() {
        return text(Metric.CANDIDATE);
    }

    public String criterion() {
        return text(Metric.CRITERION);
    }

    public boolean ok() {
        return "ok".equals(text(Metric.STATUS));
    }

    public boolean baseline() {
        return BASELINE.equals(criterion());
    }

    /** The rank, or {@link Integer#MAX_VALUE} for an unranked (failed or constrained-out) candidate. */
    public int rank() {
        double r = number(Metric.RANK);
        return Double.isNaN(r) ? Integer.MAX_VALUE : (int) r;
    }

    /** params_ratio as a percentage, the x axis of every chart. */
    public double paramsPercent() {
        return 100 * number(Metric.PARAMS_RATIO);
    }
}
