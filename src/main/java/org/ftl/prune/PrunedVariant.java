package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import java.util.List;

/**
 * A candidate's result: the pruned conv chain, which filters each layer kept (indices into the
 * backbone's layer), and the per-layer report.
 */
public record PrunedVariant(String criterion, double leaveFactor, ConvChain chain, List<int[]> kept,
                            List<LayerReport> layers) {

    public int filtersLeft() {
        return layers.stream().mapToInt(LayerReport::kept).sum();
    }

    public int filtersTotal() {
        return layers.stream().mapToInt(LayerReport::total).sum();
    }

    public long parameters() {
        return chain.parameters();
    }

    /** Per-layer counts as "kept/total" joined by spaces, e.g. "10/96 26/256 …". */
    public String filterCounts() {
        StringBuilder sb = new StringBuilder();
        for (LayerReport l : layers) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(l.kept()).append('/').append(l.total());
        }
        return sb.toString();
    }
}
