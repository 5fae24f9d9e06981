package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;

/**
 * The FTL cascade for one backbone, criterion and segmented set: conv layer by conv layer, score the
 * filters on the already pruned prefix and keep the best, as many as the {@link KeepRule} says
 * ({@code max(1, round(n·f))} by default).
 *
 * <p>Nothing is recomputed from the input: each layer runs once, on the previous layer's kept activations.
 * The first layer's maps and scores do not depend on the leave factor, so they are computed once and shared
 * by every {@link #prune} call (which may run on several threads).
 */
public final class Pruner {
    private final ConvChain backbone;
    private final FilterCriterion criterion;
    private final SegmentedSet segmented;
    private final KeepRule keepRule;
    private final Magnitude magnitude;
    private volatile LayerOutcome first;
    private volatile INDArray input;

    /** What scoring one layer produced: the maps (null if not needed) and the scores. */
    private record LayerOutcome(INDArray maps, double[] scores, double[] magnitudes) {
    }

    /**
     * @param segmented may be null for criteria that need no activations (l1, random)
     */
    public Pruner(ConvChain backbone, FilterCriterion criterion, SegmentedSet segmented) {
        this(backbone, criterion, segmented, KeepRule.FTL);
    }

    /**
     * @param segmented may be null for criteria that need no activations (l1, random)
     * @param keepRule  how many filters a layer keeps and which win ties
     */
    public Pruner(ConvChain backbone, FilterCriterion criterion, SegmentedSet segmented, KeepRule keepRule) {
        this(backbone, criterion, segmented, keepRule, Magnitude.KERNEL);
    }

    /**
     * @param segmented may be null for criteria that need no activations (l1, random)
     * @param keepRule  how many filters a layer keeps and which win ties
     * @param magnitude how {@code ties = magnitude} measures a filter's magnitude (the criterion has its own)
     */
    public Pruner(ConvChain backbone, FilterCriterion criterion, SegmentedSet segmented, KeepRule keepRule, Magnitude magnitude) {
        if (criterion.needsActivations() && segmented == null) {
            throw new IllegalArgumentException(criterion.name() + " needs a segmented set");
        }
        this.backbone = backbone;
        this.criterion = criterion;
        this.segmented = segmented;
        this.keepRule = keepRule;
        this.magnitude = magnitude;
    }

    public FilterCriterion criterion() {
        return criterion;
    }

    public PrunedVariant prune(double leaveFactor) {
        if (!(leaveFactor > 0 && leaveFactor <= 1)) {
            throw new IllegalArgumentException("leave factor must be in (0, 1]: " + leaveFactor);
        }
        List<ConvChain.Block> blocks = backbone.blocks();
        List<int[]> kept = new ArrayList<>();
        List<double[]> scores = new ArrayList<>();
        INDArray x = criterion.needsActivations() ? input() : null;
        int[] previous = null;
        for (int b = 0; b < blocks.size(); b++) {
            LayerOutcome outcome = b == 0 ? first() : score(b, previous, x);
            int[] keep = keepRule.keep(outcome.scores(), outcome.magnitudes(), leaveFactor, blocks.get(b).name());
            kept.add(keep);
            scores.add(outcome.scores());
            if (outcome.maps() != null && b + 1 < blocks.size()) {
                x = tail(b, keep, outcome.maps());
            }
            previous = keep;
        }
        ConvChain pruned = Surgery.keep(backbone, kept);
        return new PrunedVariant(criterion.name(), leaveFactor, pruned, List.copyOf(kept), reports(pruned, kept, scores));
    }

    /** The segmented images through the layers before the first conv (usually none). */
    private INDArray input() {
        if (input == null) {
            synchronized (this) {
                if (input == null) {
                    INDArray images = segmented.images();
                    List<Integer> lead = backbone.leading();
                    input = lead.isEmpty() ? images
                            : Surgery.rebuild(backbone, 0, lead.size(), null, b -> null, segmented.shape()).output(images, false);
                }
            }
        }
        return input;
    }

    private LayerOutcome first() {
        if (first == null) {
            synchronized (this) {
                if (first == null) {
                    first = score(0, null, criterion.needsActivations() ? input() : null);
                }
            }
        }
        return first;
    }

    /** Runs block {@code b} (all its filters, input cut to {@code previous}) on {@code x} and scores it. */
    private LayerOutcome score(int b, int[] previous, INDArray x) {
        ConvChain.Block block = backbone.blocks().get(b);
        INDArray w = backbone.network().getLayer(block.conv()).getParam("W");
        if (previous != null) {
            w = Take.along(w, 1, previous);
        }
        INDArray maps = null;
        float[] values = null;
        long[] shape = null;
        if (criterion.needsActivations()) {
            int end = block.map().get(block.map().size() - 1) + 1;
            MultiLayerNetwork net = Surgery.rebuild(backbone, block.conv(), end, previous, i -> null, segmented.shape());
            maps = net.output(x, false);
            values = maps.dup('c').data().asFloat();
            shape = maps.shape();
        }
        LayerEvidence evidence = new LayerEvidence(b, block.name(), w, values, shape, segmented, Folding.outputScale(backbone, block));
        double[] s = criterion.score(evidence);
        if (s.length != block.filters()) {
            throw new IllegalStateException(criterion.name() + " gave " + s.length + " scores for " + block.filters()
                    + " filters of " + block.name());
        }
        double[] magnitudes = keepRule.ties() == KeepRule.Ties.MAGNITUDE ? evidence.magnitudes(magnitude) : null;
        return new LayerOutcome(maps, s, magnitudes);
    }

    /** The kept channels of block {@code b}'s maps through its tail (pooling): the next block's input. */
    private INDArray tail(int b, int[] keep, INDArray maps) {
        ConvChain.Block block = backbone.blocks().get(b);
        INDArray kept = Take.along(maps, 1, keep);
        if (block.tail().isEmpty()) {
            return kept;
        }
        int from = block.tail().get(0);
        int to = block.tail().get(block.tail().size() - 1) + 1;
        return Surgery.rebuild(backbone, from, to, keep, i -> null, segmented.shape()).output(kept, false);
    }

    /**
     * The best {@code max(1, round(n·f))} filters, returned in ascending index order. Higher scores win;
     * ties go to the lower index; NaN counts as the worst score ({@link KeepRule#FTL}).
     */
    public static int[] keepBest(double[] scores, double leaveFactor) {
        return KeepRule.FTL.keep(scores, leaveFactor, "layer");
    }

    private List<LayerReport> reports(ConvChain pruned, List<int[]> kept, List<double[]> scores) {
        List<LayerReport> out = new ArrayList<>();
        for (int b = 0; b < kept.size(); b++) {
            double[] s = scores.get(b);
            boolean[] isKept = new boolean[s.length];
            for (int i : kept.get(b)) {
                isKept[i] = true;
            }
            double keptSum = 0;
            double droppedSum = 0;
            for (int i = 0; i < s.length; i++) {
                if (isKept[i]) {
                    keptSum += s[i];
                } else {
                    droppedSum += s[i];
                }
            }
            int nk = kept.get(b).length;
            int nd = s.length - nk;
            out.add(new LayerReport(backbone.blocks().get(b).name(), nk, s.length, keptSum / nk,
                    nd == 0 ? Double.NaN : droppedSum / nd, blockParams(backbone, b), blockParams(pruned, b),
                    ScoreSpread.of(s, kept.get(b))));
        }
        return out;
    }

    /** Parameters of block b's layers: its conv, batch-norm and anything up to the next conv. */
    static long blockParams(ConvChain chain, int b) {
        List<ConvChain.Block> blocks = chain.blocks();
        int from = blocks.get(b).conv();
        int to = b + 1 < blocks.size() ? blocks.get(b + 1).conv() : chain.network().getnLayers();
        long p = 0;
        for (int i = from; i < to; i++) {
            p += chain.network().getLayer(i).numParams();
        }
        return p;
    }
}
