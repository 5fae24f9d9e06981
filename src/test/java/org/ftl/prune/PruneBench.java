package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 3's benchmark, not a test: time to build the 100 iou variants of a backbone with the cascade's
 * activation cache (each layer runs once on the kept maps of the previous one; layer 1 scored once) and
 * without it (every layer's prefix recomputed from the input images). Run with
 * {@code mvn -o test -Dtest=PruneBench -Dftl.bench=true [-Dftl.bench.backbone=FILE.zip] [-Dftl.bench.data=DATA]}.
 */
class PruneBench {
    @Test
    void hundredVariantsWithAndWithoutTheCache() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        InputShape in = new InputShape(64, 64, 3);
        String file = System.getProperty("ftl.bench.backbone");
        ConvChain chain = file != null ? ConvChain.load(java.nio.file.Path.of(file), in)
                : Backbones.untrained(org.ftl.backbone.Architecture.ALEXNET, 0.5, true, in, 1);
        String data = System.getProperty("ftl.bench.data");
        SegmentedSet set = data == null ? PrunerTestSets.blobs(in, 40, 3)
                : org.ftl.prune.SegmentedLoader.load(org.ftl.data.DataListing.scan(data, java.util.List.of("png", "jpg"),
                        new org.apache.hadoop.conf.Configuration()).segmented(), "Crack", in, org.ftl.data.Preprocessing.IMAGENET_MEAN,
                        MaskResize.ANY, new org.apache.hadoop.conf.Configuration()).set();
        IouCriterion iou = new IouCriterion("Crack", false, Binarization.POSITIVE, 0, MaskResize.ANY);
        List<Double> grid = LeaveFactors.range(0.01, 1.0, 0.01);

        long t0 = System.nanoTime();
        Pruner pruner = new Pruner(chain, iou, set);
        List<PrunedVariant> cached = new ArrayList<>();
        for (double f : grid) {
            cached.add(pruner.prune(f));
        }
        double withCache = (System.nanoTime() - t0) / 1e9;

        t0 = System.nanoTime();
        for (int i = 0; i < grid.size(); i++) {
            List<int[]> kept = new ArrayList<>();
            for (int b = 0; b < chain.blocks().size(); b++) {
                final int upTo = b;
                ConvChain.Block block = chain.blocks().get(b);
                int end = block.map().get(block.map().size() - 1) + 1;
                MultiLayerNetwork prefix = Surgery.rebuild(chain, 0, end, null, k -> k < upTo ? kept.get(k) : null, in);
                INDArray maps = prefix.output(set.images(), false);
                double[] s = iou.score(new LayerEvidence(b, block.name(), prefix.getLayer(block.conv()).getParam("W"),
                        maps.dup('c').data().asFloat(), maps.shape(), set));
                kept.add(Pruner.keepBest(s, grid.get(i)));
            }
            Surgery.keep(chain, kept);
            for (int b = 0; b < kept.size(); b++) {
                if (!java.util.Arrays.equals(kept.get(b), cached.get(i).kept().get(b))) {
                    throw new AssertionError("cached and uncached cascades differ at f=" + grid.get(i));
                }
            }
        }
        double without = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "PruneBench: %d conv layers, %,d params, %d segmented images %dx%d: "
                        + "100 variants with the cache %.2f s, without %.2f s (%.1fx)%n", chain.blocks().size(),
                chain.parameters(), set.size(), in.height(), in.width(), withCache, without, without / withCache);
    }
}
