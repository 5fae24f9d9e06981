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
 * @param outputScale each filter's γ/√(σ² + ε) of the batch-norm after the conv (null: none): what folding
 *                  multiplies its kernel by
 */
public record LayerEvidence(int block, String layer, INDArray weights, float[] maps, long[] mapShape,
                            SegmentedSet segmented, double[] outputScale) {
    public LayerEvidence {
        if (mapShape != null && mapShape[1] != weights.size(0)) {
            throw new IllegalArgumentException(layer + ": maps of " + mapShape[1] + " filters for weights of " + weights.size(0));
        }
        if (outputScale != null && outputScale.length != weights.size(0)) {
            throw new IllegalArgumentException(layer + ": " + outputScale.length + " batch-norm scales for " + weights.size(0) + " filters");
        }
    }

    /** Evidence of a layer without batch-norm after it. */
    public LayerEvidence(int block, String layer, INDArray weights, float[] maps, long[] mapShape, SegmentedSet segmented) {
        this(block, layer, weights, maps, mapShape, segmented, null);
    }

    /** Each filter's magnitude: the L1 norm of its kernel, times |γ|/√(σ² + ε) when {@code m} is folded. */
    public double[] magnitudes(Magnitude m) {
        double[] norms = L1Criterion.norms(weights);
        if (m == Magnitude.FOLDED && outputScale != null) {
            for (int f = 0; f < norms.length; f++) {
                norms[f] *= Math.abs(outputScale[f]);
            }
        }
        return norms;
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
