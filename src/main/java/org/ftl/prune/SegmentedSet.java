package org.ftl.prune;

import org.ftl.data.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The segmented set: images (already preprocessed to the network's input, NCHW) with a pixel mask of the
 * object, and each image's class. A mask is at input resolution, or at its image's own size for
 * {@link MaskResize#BILINEAR}, which resizes the mask as stored. Masks resized to a layer's map size are cached.
 */
public final class SegmentedSet implements java.io.Serializable {
    private static final long serialVersionUID = 2L;

    private final InputShape shape;
    private final float[] images;
    private final List<boolean[]> masks;
    /** Each mask's height and width. */
    private final int[][] maskSizes;
    private final List<String> classes;
    private final List<String> names;
    /** Masks resized per map size; rebuilt after deserialisation (a broadcast), never shipped. */
    private transient Map<String, boolean[][]> resized;

    /**
     * @param images NCHW values, {@code masks.size()} images of {@code shape}
     * @param masks  one per image, row-major at the input's height × width
     */
    public SegmentedSet(InputShape shape, float[] images, List<boolean[]> masks, List<String> classes, List<String> names) {
        this(shape, images, masks, java.util.Collections.nCopies(masks.size(), new int[] {shape.height(), shape.width()}),
                classes, names);
    }

    /**
     * @param maskSizes each mask's height and width
     */
    public SegmentedSet(InputShape shape, float[] images, List<boolean[]> masks, List<int[]> maskSizes, List<String> classes,
                        List<String> names) {
        int per = shape.channels() * shape.height() * shape.width();
        if (images.length != (long) per * masks.size() || classes.size() != masks.size() || names.size() != masks.size()
                || maskSizes.size() != masks.size()) {
            throw new IllegalArgumentException("segmented set: " + masks.size() + " masks, " + maskSizes.size()
                    + " mask sizes, " + classes.size() + " classes, " + names.size() + " names, "
                    + images.length / Math.max(1, per) + " images");
        }
        for (int i = 0; i < masks.size(); i++) {
            int[] size = maskSizes.get(i);
            if (masks.get(i).length != size[0] * size[1]) {
                throw new IllegalArgumentException("segmented set: mask of " + masks.get(i).length + " pixels said to be "
                        + size[0] + "x" + size[1]);
            }
        }
        this.shape = shape;
        this.images = images;
        this.masks = List.copyOf(masks);
        this.maskSizes = maskSizes.stream().map(int[]::clone).toArray(int[][]::new);
        this.classes = List.copyOf(classes);
        this.names = List.copyOf(names);
    }

    /**
     * This set and {@code more} images with empty masks at the input's size (what a contrastive score compares
     * against: images of other classes, where nothing of the object is).
     */
    public SegmentedSet withoutObject(float[] more, List<String> moreClasses, List<String> moreNames) {
        int per = shape.channels() * shape.height() * shape.width();
        int n = moreClasses.size();
        if (more.length != (long) per * n || moreNames.size() != n) {
            throw new IllegalArgumentException("images without object: " + n + " classes, " + moreNames.size() + " names, "
                    + more.length / Math.max(1, per) + " images");
        }
        float[] all = java.util.Arrays.copyOf(images, images.length + more.length);
        System.arraycopy(more, 0, all, images.length, more.length);
        List<boolean[]> m = new java.util.ArrayList<>(masks);
        List<int[]> sizes = new java.util.ArrayList<>(java.util.Arrays.asList(maskSizes));
        for (int i = 0; i < n; i++) {
            m.add(new boolean[shape.height() * shape.width()]);
            sizes.add(new int[] {shape.height(), shape.width()});
        }
        List<String> c = new java.util.ArrayList<>(classes);
        c.addAll(moreClasses);
        List<String> nm = new java.util.ArrayList<>(names);
        nm.addAll(moreNames);
        return new SegmentedSet(shape, all, m, sizes, c, nm);
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
        return mask(i, h, w, how, 0.5);
    }

    /** Image {@code i}'s mask resized to {@code h × w} the given way, {@code coverage} for {@link MaskResize#COVERAGE} (cached). */
    public boolean[] mask(int i, int h, int w, MaskResize how, double coverage) {
        if (h == maskSizes[i][0] && w == maskSizes[i][1]) {
            return masks.get(i);
        }
        synchronized (this) {
            if (resized == null) {
                resized = new ConcurrentHashMap<>();
            }
        }
        String key = h + "x" + w + ":" + how + (how == MaskResize.COVERAGE ? ":" + coverage : "");
        boolean[][] all = resized.computeIfAbsent(key, k -> {
            boolean[][] r = new boolean[size()][];
            for (int j = 0; j < size(); j++) {
                r[j] = MaskResize.resizeTo(masks.get(j), maskSizes[j][0], maskSizes[j][1], h, w, how, coverage);
            }
            return r;
        });
        return all[i];
    }
}
