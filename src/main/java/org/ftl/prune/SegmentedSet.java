package org.ftl.prune;

import org.ftl.data.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The segmented set: images (already preprocessed to the network's input, NCHW) with a pixel mask of the
 * object at input resolution, and each image's class. Masks resized to a layer's map size are cached.
 */
public final class SegmentedSet implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private final InputShape shape;
    private final float[] images;
    private final List<boolean[]> masks;
    private final List<String> classes;
    private final List<String> names;
    /** Masks resized per map size; rebuilt after deserialisation (a broadcast), never shipped. */
    private transient Map<String, boolean[][]> resized;

    /**
     * @param images NCHW values, {@code masks.size()} images of {@code shape}
     * @param masks  one per image, row-major at the input's height × width
     */
    public SegmentedSet(InputShape shape, float[] images, List<boolean[]> masks, List<String> classes, List<String> names) {
        int per = shape.channels() * shape.height() * shape.width();
        if (images.length != (long) per * masks.size() || classes.size() != masks.size() || names.size() != masks.size()) {
            throw new IllegalArgumentException("segmented set: " + masks.size() + " masks, " + classes.size()
                    + " classes, " + names.size() + " names, " + images.length / Math.max(1, per) + " images");
        }
        for (boolean[] m : masks) {
            if (m.length != shape.height() * shape.width()) {
                throw new IllegalArgumentException("segmented set: mask of " + m.length + " pixels for a "
                        + shape.height() + "x" + shape.width() + " input");
            }
        }
        this.shape = shape;
        this.images = images;
        this.masks = List.copyOf(masks);
        this.classes = List.copyOf(classes);
        this.names = List.copyOf(names);
    }

    public int size() {
        return masks.size();
    }

    public InputShape shape() {
        return shape;
    }

    public List<String> classes() {
        return classes;
    }

    public List<String> names() {
        return names;
    }

    /** The images as an NCHW batch (a fresh array each call). */
    public INDArray images() {
        return Nd4j.create(images, new long[] {size(), shape.channels(), shape.height(), shape.width()}, 'c');
    }

    /** Image {@code i}'s mask resized to {@code h × w} the given way (cached). */
    public boolean[] mask(int i, int h, int w, MaskResize how) {
        if (h == shape.height() && w == shape.width()) {
            return masks.get(i);
        }
        synchronized (this) {
            if (resized == null) {
                resized = new ConcurrentHashMap<>();
            }
        }
        boolean[][] all = resized.computeIfAbsent(h + "x" + w + ":" + how, k -> {
            boolean[][] r = new boolean[size()][];
            for (int j = 0; j < size(); j++) {
                r[j] = how.resize(masks.get(j), shape.height(), shape.width(), h, w);
            }
            return r;
        });
        return all[i];
    }
}
