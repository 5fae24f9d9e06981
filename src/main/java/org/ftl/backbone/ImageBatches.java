package org.ftl.backbone;

import org.ftl.data.DecodedImages;
import org.ftl.data.ImageTensors;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches of a subset of decoded images for DL4J training: preprocessed, one-hot labels, reshuffled every
 * epoch from a seed and, when augmenting, flipped at random (cracks have no up or left).
 */
public final class ImageBatches implements DataSetIterator {
    private final DecodedImages images;
    private final int[] subset;
    private final int batchSize;
    private final Preprocessing preprocessing;
    private final boolean augment;
    private final long seed;
    private int[] order;
    private int cursor;
    private int epoch;

    ImageBatches(DecodedImages images, int[] subset, int batchSize, Preprocessing preprocessing, boolean augment,
                 long seed) {
        this.images = images;
        this.subset = subset.clone();
        this.batchSize = batchSize;
        this.preprocessing = preprocessing;
        this.augment = augment;
        this.seed = seed;
        reset();
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        int n = Math.min(num, order.length - cursor);
        InputShape s = images.shape();
        int per = ImageTensors.length(s);
        float[] x = new float[n * per];
        float[] y = new float[n * images.classes().size()];
        SplittableRandom flips = new SplittableRandom(seed * 31 + epoch * 1_000_003L + cursor);
        for (int i = 0; i < n; i++) {
            int idx = order[cursor + i];
            byte[] px = images.pixels()[idx];
            if (augment) {
                px = flip(px, s, flips.nextBoolean(), flips.nextBoolean());
            }
            preprocessing.apply(px, s.channels(), x, i * per);
            y[i * images.classes().size() + images.labels()[idx]] = 1f;
        }
        cursor += n;
        INDArray features = Nd4j.create(x, new long[] {n, s.channels(), s.height(), s.width()}, 'c');
        INDArray labels = Nd4j.create(y, new long[] {n, images.classes().size()}, 'c');
        return new DataSet(features, labels);
    }

    private static byte[] flip(byte[] px, InputShape s, boolean horizontal, boolean vertical) {
        if (!horizontal && !vertical) {
            return px;
        }
        int c = s.channels();
        int w = s.width();
        int h = s.height();
        byte[] out = new byte[px.length];
        for (int y = 0; y < h; y++) {
            int sy = vertical ? h - 1 - y : y;
            for (int x = 0; x < w; x++) {
                int sx = horizontal ? w - 1 - x : x;
                System.arraycopy(px, (sy * w + sx) * c, out, (y * w + x) * c, c);
            }
        }
        return out;
    }

    @Override
    public void reset() {
        order = subset.clone();
        if (augment) { // training data: a new order every epoch, the same for a seed
            SplittableRandom r = new SplittableRandom(seed + 7919L * epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            epoch++;
        }
        cursor = 0;
    }

    @Override
    public int inputColumns() {
        return ImageTensors.length(images.shape());
    }

    @Override
    public int totalOutcomes() {
        return images.classes().size();
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("preprocessing is applied when batches are made");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return images.classes();
    }
}
