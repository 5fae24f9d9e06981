package org.ftl.prune;

import org.ftl.FtlError;

import java.io.Serializable;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * How many of a layer's {@code n} filters a leave factor {@code f} keeps, and which of equal scores win.
 *
 * @param count how many are kept
 * @param ties  which filter of two with equal scores is kept
 */
public record KeepRule(Count count, Ties ties) implements Serializable {
    /** FTL's rule: {@code max(1, round(n·f))}, halves up; the lower index wins a tie. */
    public static final KeepRule FTL = new KeepRule(Count.ROUND_N, Ties.LOWER_INDEX);

    /** How many filters a layer keeps. */
    public enum Count {
        /** {@code max(1, round(n·f))}, halves rounded up: every layer keeps a filter, and f = 1 keeps them all. */
        ROUND_N,
        /**
         * The original method's {@code round((n − 1)·f)} with Python's rounding (halves to even) and no minimum: a
         * layer can keep none, which fails the candidate.
         */
        ROUND_N_MINUS_1;

        public static Count parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** Filters kept of {@code n} at leave factor {@code f}, at most {@code n}. */
        public int of(int n, double f) {
            long k = switch (this) {
                case ROUND_N -> Math.max(1, Math.round(n * f));
                // Math.rint rounds halves to even, as Python 3's round does; (n - 1) * f is the same double product
                case ROUND_N_MINUS_1 -> (long) Math.rint((n - 1) * f);
            };
            return (int) Math.min(n, k);
        }

        /** The rule as a formula, for messages. */
        public String formula() {
            return this == ROUND_N ? "max(1, round(n·f))" : "round((n − 1)·f)";
        }
    }

    /** Which of two filters with equal scores is kept. */
    public enum Ties {
        /** The lower index: the earlier filter. */
        LOWER_INDEX,
        /** The higher index, as the original method's sort of (score, index) pairs, reversed, gives. */
        HIGHER_INDEX,
        /**
         * The larger L1 norm of the filter's kernel weights (over its kept input channels), then the lower index:
         * where the score cannot tell filters apart (IoU's all-active filters all score the mask's coverage), the
         * filter's magnitude decides rather than its position.
         */
        MAGNITUDE;

        public static Ties parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The filters of one layer to keep, in ascending index order. Higher scores win; NaN counts as the worst score.
     *
     * @param layer the layer's name, for the error when the rule keeps none
     * @throws FtlError when the count comes to 0 (only {@link Count#ROUND_N_MINUS_1} can)
     */
    public int[] keep(double[] scores, double leaveFactor, String layer) {
        return keep(scores, null, leaveFactor, layer);
    }

    /**
     * As {@link #keep(double[], double, String)}, with each filter's L1 norm for {@link Ties#MAGNITUDE}.
     *
     * @param magnitudes the filters' kernel L1 norms; needed only when ties = magnitude
     */
    public int[] keep(double[] scores, double[] magnitudes, double leaveFactor, String layer) {
        if (ties == Ties.MAGNITUDE && (magnitudes == null || magnitudes.length != scores.length)) {
            throw new IllegalArgumentException(layer + ": ties = magnitude needs one L1 norm per filter");
        }
        int n = scores.length;
        int k = count.of(n, leaveFactor);
        if (k == 0) {
            throw new FtlError(layer + ": prune.keep-count = " + count.configName() + " keeps " + count.formula() + " = 0 of its "
                    + n + " filters at leave factor f = " + leaveFactor + "; a layer without filters is no network");
        }
        Comparator<Integer> byScore = Comparator.comparingDouble(i -> Double.isNaN(scores[i]) ? Double.NEGATIVE_INFINITY : scores[i]);
        Comparator<Integer> byIndex = switch (ties) {
            case LOWER_INDEX -> Comparator.naturalOrder();
            case HIGHER_INDEX -> Comparator.reverseOrder();
            case MAGNITUDE -> Comparator.<Integer>comparingDouble(i -> -magnitudes[i]).thenComparing(Comparator.naturalOrder());
        };
        return IntStream.range(0, n).boxed()
                .sorted(byScore.reversed().thenComparing(byIndex))
                .limit(k)
                .mapToInt(Integer::intValue)
                .sorted()
                .toArray();
    }
}
