package org.ftl.head;

import java.util.List;

/** A contiguous run of rows [from, to) of a {@link Design}: a fold, or the part of the data before or after it. */
record Rows(int from, int to) {
    Rows {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ")");
        }
    }

    int count() {
        return to - from;
    }

    static int count(List<Rows> runs) {
        return runs.stream().mapToInt(Rows::count).sum();
    }
}
