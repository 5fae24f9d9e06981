package org.ftl.data;

import java.nio.file.Path;

/**
 * The folder layout every FTL step reads and the data tools write (the original method's names):
 * <pre>
 * DATA/dataset/&lt;Class&gt;/…                 training images, one folder per class
 * DATA/evaluation/&lt;Class&gt;/…              held-out test images
 * DATA/segmented/images/&lt;Class&gt;/…        images with a pixel mask of the object…
 * DATA/segmented/masks/&lt;Class&gt;/…         …paired by file name (0/255 or 0/1, grey or RGB)
 * </pre>
 * Relative names are kept as strings so the same layout serves local paths and Hadoop paths.
 */
public final class DataLayout {
    public static final String DATASET = "dataset";
    public static final String EVALUATION = "evaluation";
    public static final String SEGMENTED_IMAGES = "segmented/images";
    public static final String SEGMENTED_MASKS = "segmented/masks";

    private final Path root;

    public DataLayout(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Path dataset(String className) {
        return root.resolve(DATASET).resolve(className);
    }

    public Path evaluation(String className) {
        return root.resolve(EVALUATION).resolve(className);
    }

    public Path segmentedImages(String className) {
        return root.resolve(SEGMENTED_IMAGES).resolve(className);
    }

    public Path segmentedMasks(String className) {
        return root.resolve(SEGMENTED_MASKS).resolve(className);
    }
}
