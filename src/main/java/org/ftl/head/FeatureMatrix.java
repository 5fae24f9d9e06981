package org.ftl.head;

import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.Serializable;
import java.util.List;

/**
 * The features of n images as one float matrix [n][d], row-major in a single array: a candidate's
 * flattened maps can be n ≈ 2000 × d ≈ 25000, where a {@code float[][]} would cost an object per row and
 * {@code double} twice the memory. Rows are images, columns features.
 *
 * <p>The array is taken as it is, not copied: the caller hands it over and does not change it afterwards.
 */
public final class FeatureMatrix implements Serializable {
    private static final long serialVersionUID = 1L;

    private final float[] values;
    private final int rows;
    private final int columns;

    public FeatureMatrix(float[] values, int rows, int columns) {
        if (rows < 0 || columns < 1 || (long) rows * columns != values.length) {
            throw new IllegalArgumentException("a feature matrix of " + rows + " x " + columns + " needs "
                    + (long) rows * columns + " values, got " + values.length);
        }
        this.values = values;
        this.rows = rows;
        this.columns = columns;
    }

    /** The rows of a 2-d array [n, d] (as {@link org.ftl.infer.FeatureMode#features} gives), copied to the heap. */
    public static FeatureMatrix of(INDArray features) {
        if (features.rank() != 2) {
            throw new IllegalArgumentException("features must be a matrix [n, d], got shape "
                    + java.util.Arrays.toString(features.shape()));
        }
        long n = features.size(0);
        long d = features.size(1);
        if (n * d > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("features of " + n + " x " + d + " do not fit one Java array");
        }
        float[] v = features.castTo(DataType.FLOAT).dup('c').data().asFloat();
        return new FeatureMatrix(v, (int) n, (int) d);
    }

    /** The rows of several matrices (e.g. batches of images), one after the other. */
    public static FeatureMatrix concat(List<FeatureMatrix> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate");
        }
        int d = parts.get(0).columns;
        long n = 0;
        for (FeatureMatrix p : parts) {
            if (p.columns != d) {
                throw new IllegalArgumentException("feature matrices of " + d + " and " + p.columns + " columns");
            }
            n += p.rows;
        }
        float[] all = new float[Math.toIntExact(n * d)];
        int at = 0;
        for (FeatureMatrix p : parts) {
            System.arraycopy(p.values, 0, all, at, p.values.length);
            at += p.values.length;
        }
        return new FeatureMatrix(all, (int) n, d);
    }

    public int rows() {
        return rows;
    }

    public int columns() {
        return columns;
    }

    public float get(int row, int column) {
        return values[row * columns + column];
    }

    /** The values themselves, row-major (no copy: read only). */
    float[] values() {
        return values;
    }

    /** A copy of the matrix off-heap, rows in their order. */
    public INDArray toNd4j() {
        return Nd4j.create(values, new long[] {rows, columns}, 'c');
    }

    /** The rows in {@code order}, widened to double, row-major in native memory (the caller closes it). */
    DoublePointer toNativeDouble(int[] order) {
        DoublePointer out = new DoublePointer((long) order.length * columns);
        double[] row = new double[columns];
        long at = 0;
        for (int r : order) {
            int from = r * columns;
            for (int j = 0; j < columns; j++) {
                row[j] = values[from + j];
            }
            out.position(at).put(row, 0, columns);
            at += columns;
        }
        return out.position(0);
    }
}
