package org.ftl.prune;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Grids of leave factors: a list, or from/to/step counted in exact decimals (0.01 … 1.00 is 100 values). */
public final class LeaveFactors {
    private LeaveFactors() {
    }

    public static List<Double> range(double from, double to, double step) {
        if (!(from > 0) || to > 1 || from > to || !(step > 0)) {
            throw new IllegalArgumentException("leave factors need 0 < from <= to <= 1 and step > 0: "
                    + from + ", " + to + ", " + step);
        }
        BigDecimal f = BigDecimal.valueOf(from);
        BigDecimal t = BigDecimal.valueOf(to);
        BigDecimal s = BigDecimal.valueOf(step);
        List<Double> out = new ArrayList<>();
        for (BigDecimal v = f; v.compareTo(t) <= 0; v = v.add(s)) {
            out.add(v.doubleValue());
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
}
