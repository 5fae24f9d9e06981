package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.backbone.BatchNorm;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.DataListing;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.prune.SegmentedLoader;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Criteria;
import org.ftl.prune.KeepRule;
import org.ftl.prune.L1Criterion;
import org.ftl.prune.LeaveFactors;
import org.ftl.prune.MaskResize;
import org.ftl.prune.Pruner;
import org.ftl.prune.PrunedVariant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code original} profile against the published numbers: for their AlexNet (96, 256, 384, 384, 256 filters,
 * batch-norm after the first conv only) the method's authors report 11,224 parameters at f = 0.05 (5, 13, 19, 19, 13
 * filters kept), 86,871 at f = 0.15 (14, 38, 57, 57, 38) and 946,048 at f = 0.5 (48, 128, 192, 192, 128). The keep
 * rule decides the counts alone (scores only choose which filters), so the weights here are the untrained,
 * seeded built-in alexnet.
 */
class OriginalProfileTest {
    @TempDir
    static Path dir;

    private static final int[] ALEXNET = {96, 256, 384, 384, 256};
    private static Path data;

    @BeforeAll
    static void syntheticData() {
        data = dir.resolve("data");
        CliTest.Run r = new CliTest.Run("synth", "--out", data.toString(), "--count", "24", "--size", "64",
                "--segmented-count", "3", "--seed", "3");
        assertEquals(ExitCode.OK, r.code, r.err);
    }

    private static FtlConfig original(String... sets) {
        List<SettingOverride> o = new ArrayList<>();
        for (String s : sets) {
            o.add(SettingOverride.set(s));
        }
        return FtlConfig.load("original", o, Map.of());
    }

    private static List<Integer> counts(PrunedVariant v) {
        return v.kept().stream().map(k -> k.length).toList();
    }

    @Test
    void theProfileSaysWhatTheOriginalDoes() {
        FtlConfig c = original();
        assertEquals("original", c.name());
        assertEquals(224, c.input().shape().height());
        assertEquals(Preprocessing.IMAGENET_CAFFE, c.input().preprocessing());
        assertEquals(Preprocessing.BGR, c.prune().scoringPreprocessing(c.input().preprocessing()));
        assertEquals(new KeepRule(KeepRule.Count.ROUND_N_MINUS_1, KeepRule.Ties.HIGHER_INDEX), c.prune().keepRule());
        assertEquals(LeaveFactors.Steps.ACCUMULATED, c.prune().factorSteps());
        assertEquals(MaskResize.BILINEAR, c.prune().maskResize());
        assertEquals("nonzero", c.data().maskObject().describe());
        assertEquals(BatchNorm.FIRST, c.backbone().batchNorm());
        assertEquals(1.0, c.backbone().width());
        assertEquals(false, c.head().standardize());
        assertEquals(2000, c.head().maxIterations());
        assertEquals(0.75, c.head().trainFraction());
        assertEquals(99, c.prune().factors().size());
        assertEquals(0.09999999999999999, c.prune().factors().get(9));
    }

    @Test
    void theBuiltInAlexnetWithBatchNormAfterTheFirstConvGivesThePublishedParameterCounts() {
        InputShape in = new InputShape(224, 224, 3);
        ConvChain chain = Backbones.untrained(Architecture.ALEXNET, 1.0, BatchNorm.FIRST, in, 1);
        org.junit.jupiter.api.Assertions.assertArrayEquals(ALEXNET, chain.filterCounts());
        long norms = chain.network().getLayerWiseConfigurations().getConfs().stream()
                .filter(l -> l.getLayer() instanceof BatchNormalization).count();
        assertEquals(1, norms, "batch-norm after conv1 only");
        assertEquals(BatchNormalization.class, chain.network().getLayer(chain.blocks().get(0).conv() + 1).conf().getLayer()
                .getClass());
        FtlConfig c = original();
        List<Double> grid = c.prune().factors();
        Pruner pruner = new Pruner(chain, new L1Criterion(), null, c.prune().keepRule());
        Object[][] published = {{grid.get(4), List.of(5, 13, 19, 19, 13), 11_224L},
                {grid.get(14), List.of(14, 38, 57, 57, 38), 86_871L},
                {grid.get(49), List.of(48, 128, 192, 192, 128), 946_048L}};
        for (Object[] p : published) {
            PrunedVariant v = pruner.prune((double) p[0]);
            assertEquals(p[1], counts(v), "f = " + p[0]);
            assertEquals(p[2], v.parameters(), "f = " + p[0]);
        }
        // with batch-norm after every conv the count is another: the option is what makes the paper reproducible
        ConvChain every = Backbones.untrained(Architecture.ALEXNET, 1.0, BatchNorm.EVERY, in, 1);
        assertEquals(86_871L + 4 * (38 + 57 + 57 + 38),
                new Pruner(every, new L1Criterion(), null, c.prune().keepRule()).prune(grid.get(14)).parameters());
    }

    /**
     * Every factor of the profile's grid, pruned the way {@code ftl prune --conf original} prunes (iou on the segmented
     * set, the profile's mask, scoring and keep settings), keeps round((n − 1)·f) with f as the original's loop sums it.
     * At 64 pixels: the counts do not depend on the input's size, and the cascade is cheap there.
     */
    @Test
    void everyFactorOfTheGridKeepsTheRulesCounts() {
        FtlConfig c = original("input.size=64", "data.root=" + data);
        Configuration hadoop = new Configuration();
        DataListing listing = DataListing.scan(c.data().root(), c.data().imageExtensions(), hadoop);
        var set = SegmentedLoader.load(listing.segmented(), "Crack", c.input().shape(),
                c.prune().scoringPreprocessing(c.input().preprocessing()), c.data().maskObject(), c.prune().maskResize(),
                hadoop).set();
        ConvChain chain = Backbones.untrained(Architecture.ALEXNET, 1.0, BatchNorm.FIRST, c.input().shape(), 1);
        Pruner pruner = new Pruner(chain, Criteria.create("iou", c.criteriaRequest()), set, c.prune().keepRule());
        List<Double> grid = c.prune().factors();
        for (double f : grid) {
            List<Integer> expected = new ArrayList<>();
            for (int n : ALEXNET) {
                expected.add((int) Math.rint((n - 1) * f));
            }
            assertEquals(expected, counts(pruner.prune(f)), "f = " + f);
        }
        // where the sums differ from the decimals, as Python computes them: "0.1" keeps 25 of 256, not 26; "0.3"
        // keeps 29 of 96 and 77 of 256; "0.7" keeps 67 of 96 and 179 of 256
        assertEquals(25, counts(pruner.prune(grid.get(9))).get(1));
        assertEquals(List.of(29, 77), counts(pruner.prune(grid.get(29))).subList(0, 2));
        assertEquals(List.of(67, 179), counts(pruner.prune(grid.get(69))).subList(0, 2));
        assertEquals(26, counts(pruner.prune(0.1)).get(1), "the exact decimal keeps one more");
    }

    /** The published points through the command itself, on the full-width alexnet at the profile's 224 pixels. */
    @Test
    void ftlPruneWithTheOriginalProfileKeepsThePublishedCounts() throws Exception {
        InputShape in = new InputShape(224, 224, 3);
        Path zip = dir.resolve("alexnet-bn-first.zip");
        Files.write(zip, Backbones.untrained(Architecture.ALEXNET, 1.0, BatchNorm.FIRST, in, 7).toBytes());
        Object[][] published = {{"0.05", new int[] {5, 13, 19, 19, 13}, "11,224"},
                {"0.15", new int[] {14, 38, 57, 57, 38}, "86,871"},
                {"0.5", new int[] {48, 128, 192, 192, 128}, "946,048"}};
        for (Object[] p : published) {
            CliTest.Run r = new CliTest.Run("prune", "--conf", "original", "--backbone", zip.toString(), "--data",
                    data.toString(), "--factor", (String) p[0], "--out", dir.resolve("v" + p[0] + ".zip").toString());
            assertEquals(ExitCode.OK, r.code, r.err);
            int[] kept = (int[]) p[1];
            for (int i = 0; i < kept.length; i++) {
                assertTrue(r.out.matches("(?s).*\\nconv" + (i + 1) + " +" + kept[i] + "/" + ALEXNET[i] + " .*"),
                        "conv" + (i + 1) + " keeps " + kept[i] + ":\n" + r.out);
            }
            assertTrue(r.out.contains("parameters " + p[2] + "/"), r.out);
            if (p[0].equals("0.5")) {
                assertTrue(r.out.startsWith("iou, leave factor 0.50 (0.5000000000000002)"), "the grid's own sum: " + r.out);
            }
        }
        // the other criteria take their own grid's sums: 0.1 + 0.1 + 0.1 of prune.comparison-factors
        CliTest.Run l1 = new CliTest.Run("prune", "--conf", "original", "--backbone", zip.toString(), "--data",
                data.toString(), "--criterion", "l1", "--factor", "0.3", "--out", dir.resolve("l1.zip").toString());
        assertTrue(l1.out.startsWith("l1, leave factor 0.30 (0.30000000000000004)"), l1.out + l1.err);
    }
}
