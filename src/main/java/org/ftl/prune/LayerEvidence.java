package org.ftl.prune;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What a criterion may look at when scoring one conv layer of the already pruned prefix.
 *
 * @param block     index of the conv layer in the chain
 * @param weights   the layer's weights [filters, kept input channels, kH, kW]
 * @param maps      activation maps of the segmented images, NCHW [images, filters, h, w], as floats in
 *                  C order (null when the criterion does not need them)
 * @param mapShape  {images, filters, h, w}
 */
public record LayerEvidence(int block, String layer, INDArray weights, float[] maps, long[] mapShape,
                            SegmentedSet segmented) {
    public LayerEvidence {
        if (mapShape != null && mapShape[1] != weights.size(0)) {
            throw new IllegalArgumentException(layer + ": maps of " + mapShape[1] + " filters for weights of " + weights.size(0));
        }
    }

    public int filters() {
        return (int) weights.size(0);
    }

    /** How many segmented images the maps are of. */
    public int images() {
        return (int) mapShape[0];
    }

    public int mapHeight() {
        return (int) mapShape[2];
    }

    public int mapWidth() {
        return (int) mapShape[3];
    }

    /** Cells of one map: height × width. */
    public int mapCells() {
        return mapHeight() * mapWidth();
    }

    /** Where filter {@code f}'s map of image {@code i} starts in {@link #maps()}. */
    public int mapOffset(int i, int f) {
        return (i * (int) mapShape[1] + f) * mapCells();
    }
}
