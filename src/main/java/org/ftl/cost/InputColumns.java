package org.ftl.cost;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.convolution.Convolution;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The im2col columns of input batches, shared by the {@link OpProgram}s of networks whose first conv has the same
 * geometry. Every pruned variant of a backbone keeps its first conv's kernel, stride and padding, and its input is
 * the image batch itself, so the columns of a batch can be computed once for all variants instead of once per
 * variant: in feature extraction that im2col cost more than the first conv's GEMM.
 *
 * <p>Columns are kept per input, up to a budget of bytes; past it, an input's columns go to one scratch buffer per
 * geometry (refilled whenever another input comes). Inputs are told apart by identity, so callers must not change
 * an input array in place while its columns are kept, and call {@link #clear} when they move on to other inputs.
 * Not thread-safe: one instance per task.
 */
public final class InputColumns {
    /** The columns of a batch, and each image's [in·kH·kW, pixels] matrix as a view into them. */
    record Columns(INDArray all, INDArray[] images) {
    }

    private static final class Scratch {
        final Columns columns;
        INDArray input; // whose columns it holds, or null

        Scratch(Columns columns) {
            this.columns = columns;
        }
    }

    private final long budgetBytes;
    private final Map<INDArray, Map<List<Long>, Columns>> kept = new IdentityHashMap<>();
    private final Map<List<Long>, Scratch> scratch = new HashMap<>();
    private long keptBytes;

    /** @param budgetBytes how many bytes of columns to keep across inputs (0: one scratch buffer per geometry) */
    public InputColumns(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("a budget of bytes cannot be negative: " + budgetBytes);
        }
        this.budgetBytes = budgetBytes;
    }

    /** x's columns for a conv of this geometry, computed now unless they are kept (or still in the scratch buffer). */
    Columns of(INDArray x, long[] columnShape, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        List<Long> key = key(x.shape(), kernel, stride, padding, dilation);
        Map<List<Long>, Columns> forInput = kept.get(x);
        Columns c = forInput == null ? null : forInput.get(key);
        if (c != null) {
            return c;
        }
        long bytes = 4L * java.util.Arrays.stream(columnShape).reduce(1, (a, b) -> a * b);
        if (keptBytes + bytes <= budgetBytes) {
            c = allocate(columnShape);
            im2col(x, c, kernel, stride, padding, dilation);
            kept.computeIfAbsent(x, k -> new HashMap<>()).put(key, c);
            keptBytes += bytes;
            return c;
        }
        Scratch s = scratch.computeIfAbsent(key, k -> new Scratch(allocate(columnShape)));
        if (s.input != x) {
            s.input = null; // a failing im2col leaves no stale claim behind
            im2col(x, s.columns, kernel, stride, padding, dilation);
            s.input = x;
        }
        return s.columns;
    }

    /** Forgets every input: their kept columns are freed now rather than when the garbage collector gets to them. */
    public void clear() {
        for (Map<List<Long>, Columns> m : kept.values()) {
            for (Columns c : m.values()) {
                if (c.all().closeable()) {
                    c.all().close();
                }
            }
        }
        kept.clear();
        keptBytes = 0;
        scratch.values().forEach(s -> s.input = null);
    }

    /** x's columns into c, as libnd4j's im2col lays them out: [N, in, kH, kW, outH, outW]. */
    static void im2col(INDArray x, Columns c, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        Convolution.im2col(x, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], dilation[0], dilation[1],
                false, c.all());
    }

    /** A [N, in, kH, kW, outH, outW] buffer and its per-image matrix views. */
    static Columns allocate(long[] columnShape) {
        INDArray all = Nd4j.create(DataType.FLOAT, columnShape, 'c');
        return new Columns(all, OpProgram.views(all, columnShape[1] * columnShape[2] * columnShape[3],
                columnShape[4] * columnShape[5]));
    }

    private static List<Long> key(long[] inputShape, int[]... geometry) {
        List<Long> key = new ArrayList<>();
        for (long v : inputShape) {
            key.add(v);
        }
        for (int[] a : geometry) {
            key.add(-1L); // separator: kernel, stride, padding and dilation never run into each other
            for (int v : a) {
                key.add((long) v);
            }
        }
        return key;
    }
}
