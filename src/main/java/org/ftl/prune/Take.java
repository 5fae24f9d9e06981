package org.ftl.prune;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Some entries of an array along one axis (filters of a conv's weights, channels of a batch of maps), copied into a
 * new 'c'-ordered array. ND4J's {@code get(…, NDArrayIndex.indices(…), …)} does the same, but in 1.0.0-M2.1 it fails
 * now and then on arrays made after other networks ran in the same thread (a NullPointerException from an array
 * without a buffer, seen pruning a VGG16 at 32 px); this copy is plain Java on the array's values.
 */
final class Take {
    private Take() {
    }

    /** The entries {@code idx} (in that order) of {@code a} along {@code axis}. */
    static INDArray along(INDArray a, int axis, int[] idx) {
        long[] shape = a.shape();
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " of an array of rank " + shape.length);
        }
        long outer = 1;
        for (int i = 0; i < axis; i++) {
            outer *= shape[i];
        }
        long inner = 1;
        for (int i = axis + 1; i < shape.length; i++) {
            inner *= shape[i];
        }
        long n = shape[axis];
        for (int i : idx) {
            if (i < 0 || i >= n) {
                throw new IndexOutOfBoundsException("index " + i + " of an axis of " + n);
            }
        }
        long[] outShape = shape.clone();
        outShape[axis] = idx.length;
        int block = Math.toIntExact(inner);
        if (a.dataType() == DataType.DOUBLE) {
            double[] v = a.dup('c').data().asDouble();
            double[] out = new double[Math.toIntExact(outer * idx.length * inner)];
            for (long o = 0; o < outer; o++) {
                for (int j = 0; j < idx.length; j++) {
                    System.arraycopy(v, Math.toIntExact((o * n + idx[j]) * inner), out, Math.toIntExact((o * idx.length + j) * inner), block);
                }
            }
            return Nd4j.create(out, outShape, 'c');
        }
        float[] v = a.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[Math.toIntExact(outer * idx.length * inner)];
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < idx.length; j++) {
                System.arraycopy(v, Math.toIntExact((o * n + idx[j]) * inner), out, Math.toIntExact((o * idx.length + j) * inner), block);
            }
        }
        INDArray r = Nd4j.create(out, outShape, 'c');
        return a.dataType() == DataType.FLOAT ? r : r.castTo(a.dataType());
    }
}
