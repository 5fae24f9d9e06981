package org.ftl.prune;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Grids of leave factors: a list, or from/to/step. A range's points are counted in exact decimals (0.01 … 1.00 is
 * 100 values); each point's value is that decimal ({@link Steps#DECIMAL}) or, as the original method's loop made
 * them, {@code from} plus {@code step} added again and again in double arithmetic ({@link Steps#ACCUMULATED}: the
 * tenth of 0.01, 0.02, … is 0.09999999999999999, and {@code round((n − 1)·f)} can come out one lower there).
 */
public final class LeaveFactors {
    private LeaveFactors() {
    }

    /** How the values of a range's points are computed. */
    public enum Steps {
        /** Each point is its exact decimal. */
        DECIMAL,
        /** Each point is the previous one plus {@code step}, in double arithmetic, as a Python loop adds. */
        ACCUMULATED;

        public static Steps parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    public static List<Double> range(double from, double to, double step) {
        return range(from, to, step, Steps.DECIMAL);
    }

    /**
     * The points from {@code from} to {@code to} by {@code step}, counted in exact decimals. An accumulated value that
     * lands above 1 by rounding (the hundredth of 0.01 + 0.01 + … is 1.0000000000000007) is 1.
     */
    public static List<Double> range(double from, double to, double step, Steps steps) {
        if (!(from > 0) || to > 1 || from > to || !(step > 0)) {
            throw new IllegalArgumentException("leave factors need 0 < from <= to <= 1 and step > 0: "
                    + from + ", " + to + ", " + step);
        }
        BigDecimal f = BigDecimal.valueOf(from);
        BigDecimal t = BigDecimal.valueOf(to);
        BigDecimal s = BigDecimal.valueOf(step);
        List<Double> out = new ArrayList<>();
        double accumulated = from;
        for (BigDecimal v = f; v.compareTo(t) <= 0; v = v.add(s)) {
            out.add(steps == Steps.DECIMAL ? v.doubleValue() : Math.min(1.0, accumulated));
            accumulated += step;
        }
        return out;
    }

    /** Sorted, without duplicates; every value in (0, 1]. */
    public static List<Double> of(List<Double> values) {
        for (double v : values) {
            if (!(v > 0 && v <= 1)) {
                throw new IllegalArgumentException("a leave factor must be in (0, 1]: " + v);
            }
        }
        return List.copyOf(new TreeSet<>(values));
    }

    /**
     * The grid as it is, if no two of its factors share a candidate id ({@link Candidate#factorName}); factors
     * closer than the ids' precision are refused, naming both.
     */
    public static List<Double> withDistinctIds(List<Double> factors) {
        java.util.Map<String, Double> seen = new java.util.HashMap<>();
        for (double f : factors) {
            Double other = seen.putIfAbsent(Candidate.factorName(f), f);
            if (other != null && other != f) {
                throw new IllegalArgumentException("leave factors " + other + " and " + f + " would both be candidate "
                        + Candidate.factorName(f) + ": keep factors at least 1e-" + Candidate.ID_DECIMALS + " apart");
            }
        }
        return factors;
    }
}
