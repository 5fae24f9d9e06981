package org.ftl.backbone;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What Keras computes, written out in loops over Keras' own layouts (images NHWC, kernels [kH, kW, in, out],
 * Dense kernels [in, out], Flatten in h, w, c order), independent of DL4J's layers.
 */
final class KerasReference {
    private KerasReference() {
    }

    /** Conv2D, stride 1, {@code pad} zeros on every side (0 = 'valid', k/2 = 'same'). */
    static INDArray conv(INDArray x, INDArray kernel, INDArray bias, int pad, boolean relu) {
        long n = x.size(0), h = x.size(1), w = x.size(2), in = x.size(3);
        int kh = (int) kernel.size(0), kw = (int) kernel.size(1);
        long out = kernel.size(3);
        long oh = h + 2L * pad - kh + 1, ow = w + 2L * pad - kw + 1;
        INDArray y = Nd4j.create(DataType.FLOAT, n, oh, ow, out);
        for (long b = 0; b < n; b++) {
            for (long i = 0; i < oh; i++) {
                for (long j = 0; j < ow; j++) {
                    for (long o = 0; o < out; o++) {
                        y.putScalar(new long[] {b, i, j, o}, at(x, kernel, bias, b, i, j, o, pad, relu));
                    }
                }
            }
        }
        return y;
    }

    /** One output value of {@link #conv}: image {@code b}, row {@code i}, column {@code j}, filter {@code o}. */
    static double at(INDArray x, INDArray kernel, INDArray bias, long b, long i, long j, long o, int pad, boolean relu) {
        long h = x.size(1), w = x.size(2), in = x.size(3);
        double s = bias.getDouble(o);
        for (int di = 0; di < kernel.size(0); di++) {
            for (int dj = 0; dj < kernel.size(1); dj++) {
                long r = i + di - pad, c = j + dj - pad;
                if (r < 0 || c < 0 || r >= h || c >= w) {
                    continue;
                }
                for (long ch = 0; ch < in; ch++) {
                    s += x.getDouble(b, r, c, ch) * kernel.getDouble(di, dj, ch, o);
                }
            }
        }
        return relu ? Math.max(0, s) : s;
    }

    /** MaxPooling2D 2×2, stride 2, 'valid'. */
    static INDArray maxPool(INDArray x) {
        long n = x.size(0), oh = x.size(1) / 2, ow = x.size(2) / 2, c = x.size(3);
        INDArray y = Nd4j.create(DataType.FLOAT, n, oh, ow, c);
        for (long b = 0; b < n; b++) {
            for (long i = 0; i < oh; i++) {
                for (long j = 0; j < ow; j++) {
                    for (long ch = 0; ch < c; ch++) {
                        double m = Math.max(Math.max(x.getDouble(b, 2 * i, 2 * j, ch), x.getDouble(b, 2 * i, 2 * j + 1, ch)),
                                Math.max(x.getDouble(b, 2 * i + 1, 2 * j, ch), x.getDouble(b, 2 * i + 1, 2 * j + 1, ch)));
                        y.putScalar(new long[] {b, i, j, ch}, m);
                    }
                }
            }
        }
        return y;
    }

    /** Flatten (h, w, c order, as Keras' channels_last) then Dense with softmax. */
    static INDArray flattenDenseSoftmax(INDArray x, INDArray kernel, INDArray bias) {
        long n = x.size(0);
        INDArray flat = x.dup('c').reshape('c', n, x.length() / n);
        INDArray y = Nd4j.create(DataType.FLOAT, n, kernel.size(1));
        for (long b = 0; b < n; b++) {
            double[] z = new double[(int) kernel.size(1)];
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < z.length; o++) {
                double s = bias.getDouble(o);
                for (long k = 0; k < flat.size(1); k++) {
                    s += flat.getDouble(b, k) * kernel.getDouble(k, o);
                }
                z[o] = s;
                max = Math.max(max, s);
            }
            double sum = 0;
            for (int o = 0; o < z.length; o++) {
                z[o] = Math.exp(z[o] - max);
                sum += z[o];
            }
            for (int o = 0; o < z.length; o++) {
                y.putScalar(b, o, z[o] / sum);
            }
        }
        return y;
    }
}
