package org.ftl.head;

import org.bytedeco.javacpp.DoublePointer;

/**
 * The training features off-heap for OpenBLAS's matrix products, rows in an order chosen so that every
 * cross-validation fold is one contiguous run: a fold's training part is then two row views of the one
 * copy, and no fold copies the (large) matrix again.
 *
 * <p>The copy is in double precision (8·n·d bytes while a head trains): with float products the objective is
 * noisy at the 1e-7 level, and L-BFGS's line search stalls well short of the optimum (Breeze then gives up with
 * "line search failed"). Double is what Spark and scikit-learn fit in. Plain Java over the float rows, widened and
 * accumulated in double, needs no copy, but measured 1.6-3.0x slower per objective evaluation than the two double
 * GEMMs for d = 128 … 25,088 (ObjectiveBench, Java 17, which vectorises neither the mixed float/double loops nor
 * the dot products); the float rows serve what runs once per fit (standardisation, held-out probabilities).
 */
final class Design implements AutoCloseable {
    private final FeatureMatrix source;
    private final int[] order;
    private final int[] labels;
    private final int classes;
    private final DoublePointer x;

    private Design(FeatureMatrix source, int[] order, int[] labels, int classes) {
        this.source = source;
        this.order = order;
        this.labels = labels;
        this.classes = classes;
        this.x = source.toNativeDouble(order);
    }

    /** Row i of the design is row {@code order[i]} of the data. */
    static Design of(LabelledFeatures data, int[] order) {
        int[] labels = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            labels[i] = data.labels()[order[i]];
        }
        return new Design(data.features(), order.clone(), labels, data.classCount());
    }

    static Design of(LabelledFeatures data) {
        return of(data, java.util.stream.IntStream.range(0, data.size()).toArray());
    }

    FeatureMatrix source() {
        return source;
    }

    int[] order() {
        return order;
    }

    /** Labels in design order. */
    int[] labels() {
        return labels;
    }

    int classes() {
        return classes;
    }

    int features() {
        return source.columns();
    }

    int size() {
        return order.length;
    }

    /** The float features, row-major in the data's order (read only): design row i starts at {@link #offset}(i). */
    float[] values() {
        return source.values();
    }

    int offset(int row) {
        return order[row] * source.columns();
    }

    /** Rows [from, to), row-major with a leading dimension of {@link #features}: a pointer into the copy. */
    DoublePointer rows(Rows r) {
        return new DoublePointer(x).position((long) r.from() * features());
    }

    /** Frees the off-heap copy now rather than whenever the garbage collector gets to it. */
    @Override
    public void close() {
        x.close();
    }
}
