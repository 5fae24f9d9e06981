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
    public int filters() {
        return (int) weights.size(0);
    }
}
