package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.ftl.data.InputShape;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IoU scoring variants of issue 16: top-fraction binarization, coverage mask resize, the contrastive score, the spread. */
class IouVariantsTest {

    @Test
    void topFractionActivatesTheLargestShareOfAMapAndNeverItsFloor() {
        float[] ramp = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i;
        }
        float cut = Binarization.TOP_FRACTION.threshold(ramp, 0, 16, 0.25f);
        assertEquals(4, IntStream.range(0, 16).filter(i -> ramp[i] > cut).count(), "cut " + cut);
        // a ReLU map that is mostly 0: the top half would reach into the zeros, which are never active
        float[] relu = new float[10];
        relu[3] = 2f;
        relu[7] = 5f;
        float c2 = Binarization.TOP_FRACTION.threshold(relu, 0, 10, 0.5f);
        assertEquals(2, IntStream.range(0, 10).filter(i -> relu[i] > c2).count());
        float[] flat = new float[9];
        Arrays.fill(flat, 3f);
        float c3 = Binarization.TOP_FRACTION.threshold(flat, 0, 9, 0.3f);
        assertEquals(0, IntStream.range(0, 9).filter(i -> flat[i] > c3).count());
        // ties with the q-th value are all in: 3 of the 4 largest equal
        float[] tied = {1, 7, 7, 7, 2, 0, 0, 0};
        float c4 = Binarization.TOP_FRACTION.threshold(tied, 0, 8, 0.25f);
        assertEquals(3, IntStream.range(0, 8).filter(i -> tied[i] > c4).count());
        assertEquals(Binarization.TOP_FRACTION, Binarization.parse("top-fraction"));
    }

    @Test
    void topFractionDropsTheFiltersThatAreNotAboutCracks() {
        InputShape in = new InputShape(32, 32, 1);
        ConvChain chain = PrunerTest.craftedBackbone(in);
        SegmentedSet cracks = PrunerTest.crackSet(in, 12, 33);
        IouCriterion top = new IouCriterion("Crack", false, Binarization.TOP_FRACTION, 0f, MaskResize.ANY, 0.08, 0.5, IouCriterion.Score.IOU);
        int[] kept = new Pruner(chain, top, cracks).prune(3.0 / 8).kept().get(0);
        for (int notCrack : new int[] {0, 3, 5}) { // brightness, bright blob, edge
            assertFalse(Arrays.stream(kept).anyMatch(i -> i == notCrack), Arrays.toString(kept));
        }
    }

    @Test
    void coverageMarksACellWhenEnoughOfItsFootprintIsObject() {
        boolean[] m = new boolean[64]; // 8x8, a one-pixel vertical line at x = 1: a quarter of each left 4x4 footprint
        for (int y = 0; y < 8; y++) {
            m[y * 8 + 1] = true;
        }
        assertArrayEquals(new boolean[] {true, false, true, false}, MaskResize.COVERAGE.resize(m, 8, 8, 2, 2, 0.25));
        assertArrayEquals(new boolean[] {false, false, false, false}, MaskResize.COVERAGE.resize(m, 8, 8, 2, 2, 0.3));
        // at 4x4 each 2x2 footprint of the left column holds half a line
        boolean[] quarter = MaskResize.COVERAGE.resize(m, 8, 8, 4, 4, 0.5);
        assertArrayEquals(new boolean[] {true, false, false, false, true, false, false, false, true, false, false, false,
                true, false, false, false}, quarter);
        assertThrows(IllegalArgumentException.class, () -> MaskResize.COVERAGE.resize(m, 8, 8, 2, 2, 0));
        // the set caches per threshold: two thresholds, two answers
        SegmentedSet set = new SegmentedSet(new InputShape(8, 8, 1), new float[64], List.of(m), List.of("Crack"), List.of("a"));
        assertArrayEquals(new boolean[] {true, false, true, false}, set.mask(0, 2, 2, MaskResize.COVERAGE, 0.25));
        assertArrayEquals(new boolean[4], set.mask(0, 2, 2, MaskResize.COVERAGE, 0.3));
    }

    @Test
    void contrastiveIsIouOnTheTargetMinusTheActiveFractionOnTheOthers() {
        InputShape in = new InputShape(4, 4, 1);
        boolean[] mask = new boolean[16];
        for (int p : new int[] {0, 1, 2, 3}) {
            mask[p] = true;
        }
        SegmentedSet crack = new SegmentedSet(in, new float[16], List.of(mask), List.of("Crack"), List.of("c"));
        SegmentedSet set = crack.withoutObject(new float[16], List.of("Background"), List.of("b"));
        // image 0 (crack): filter 0 exactly on the mask, filter 1 everywhere; image 1 (background): filter 0 on
        // one cell, filter 1 everywhere
        float[] maps = new float[2 * 2 * 16];
        for (int p = 0; p < 4; p++) {
            maps[p] = 1f;
        }
        Arrays.fill(maps, 16, 32, 1f);
        maps[32 + 5] = 1f;
        Arrays.fill(maps, 48, 64, 1f);
        LayerEvidence e = new LayerEvidence(0, "c", Nd4j.zeros(2, 1, 1, 1), maps, new long[] {2, 2, 4, 4}, set);
        double[] plain = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY).score(e);
        assertArrayEquals(new double[] {1, 4.0 / 16}, plain, 1e-12);
        double[] contrastive = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5, IouCriterion.Score.CONTRASTIVE).score(e);
        assertArrayEquals(new double[] {1 - 1.0 / 16, 4.0 / 16 - 1}, contrastive, 1e-12);
        assertThrows(IllegalStateException.class, () -> new IouCriterion("Crack", false, Binarization.POSITIVE, 0f,
                MaskResize.ANY, 0.1, 0.5, IouCriterion.Score.CONTRASTIVE).score(new LayerEvidence(0, "c", Nd4j.zeros(2, 1, 1, 1),
                Arrays.copyOf(maps, 32), new long[] {1, 2, 4, 4}, crack)));
    }

    @Test
    void selectivityIsHitRateMinusFalseAlarmRateAndZeroForAlwaysAndNeverOn() {
        InputShape in = new InputShape(4, 4, 1);
        boolean[] mask = new boolean[16];
        for (int p : new int[] {0, 1, 2, 3}) {
            mask[p] = true;
        }
        SegmentedSet set = new SegmentedSet(in, new float[16], List.of(mask), List.of("Crack"), List.of("c"))
                .withoutObject(new float[16], List.of("Background"), List.of("b"));
        // 3 filters: 0 on the mask (and one background cell of image 1), 1 everywhere, 2 never
        float[] maps = new float[2 * 3 * 16];
        for (int p = 0; p < 4; p++) {
            maps[p] = 1f;
        }
        Arrays.fill(maps, 16, 32, 1f);
        maps[48 + 5] = 1f;
        Arrays.fill(maps, 64, 80, 1f);
        LayerEvidence e = new LayerEvidence(0, "c", Nd4j.zeros(3, 1, 1, 1), maps, new long[] {2, 3, 4, 4}, set);
        double[] s = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5,
                IouCriterion.Score.SELECTIVITY).score(e);
        // object cells: 4; other cells: 12 of image 0 and 16 of image 1
        assertArrayEquals(new double[] {1 - 1.0 / 28, 0, 0}, s, 1e-12);
        double[] c = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5,
                IouCriterion.Score.CONTRASTIVE).score(e);
        assertTrue(c[2] > c[1], "contrastive ranks the silent filter above the busy one: " + Arrays.toString(c));
    }

    @Test
    void contrastivePenalisesTheFilterThatFiresOnEveryImage() {
        InputShape in = new InputShape(32, 32, 1);
        ConvChain chain = PrunerTest.craftedBackbone(in);
        SegmentedSet cracks = PrunerTest.crackSet(in, 12, 35);
        int n = 12;
        float[] plain = new float[n * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (float) (150 + r.nextGaussian() * 12);
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("b" + i);
        }
        SegmentedSet both = cracks.withoutObject(plain, java.util.Collections.nCopies(n, "Background"), names);
        INDArray maps = chain.network().feedForwardToLayer(0, both.images(), false).get(1);
        LayerEvidence e = new LayerEvidence(0, "c1", chain.network().getLayer(0).getParam("W"),
                maps.dup('c').data().asFloat(), maps.shape(), both);
        double[] iou = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY).score(e);
        double[] contrastive = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5, IouCriterion.Score.CONTRASTIVE).score(e);
        // the brightness filter fires on every cell of a plain surface: it pays its whole active fraction
        assertTrue(contrastive[0] < iou[0] - 0.9, contrastive[0] + " vs " + iou[0]);
        for (int f : PrunerTest.LINE_DETECTORS) { // silent on plain surfaces: they keep their IoU
            assertEquals(iou[f], contrastive[f], 0.05, "filter " + f);
        }
        assertArrayEquals(PrunerTest.LINE_DETECTORS, new Pruner(chain, new IouCriterion("Crack", false, Binarization.POSITIVE,
                0f, MaskResize.ANY, 0.1, 0.5, IouCriterion.Score.CONTRASTIVE), both).prune(3.0 / 8).kept().get(0));
    }

    @Test
    void scaledRanksShareTheMeanRankOfTies() {
        assertArrayEquals(new double[] {0.5, 0, 1, 0.5}, IouCriterion.scaledRanks(new double[] {0.3, 0.1, 0.9, 0.3}), 1e-12);
        assertArrayEquals(new double[] {0, 1}, IouCriterion.scaledRanks(new double[] {Double.NaN, 2}), 1e-12);
        assertArrayEquals(new double[] {1}, IouCriterion.scaledRanks(new double[] {7}), 1e-12);
    }

    /** magnitude-weight blends IoU's order with l1's: 0 is IoU's, 1 is l1's, between them breaks IoU's ties. */
    @Test
    void magnitudeWeightBlendsTheIouAndL1Orders() {
        InputShape in = new InputShape(32, 32, 1);
        ConvChain chain = PrunerTest.craftedBackbone(in);
        SegmentedSet cracks = PrunerTest.crackSet(in, 12, 35);
        INDArray maps = chain.network().feedForwardToLayer(0, cracks.images(), false).get(1);
        LayerEvidence e = new LayerEvidence(0, "c1", chain.network().getLayer(0).getParam("W"),
                maps.dup('c').data().asFloat(), maps.shape(), cracks);
        IouCriterion plain = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY);
        double[] iou = plain.score(e);
        assertArrayEquals(iou, new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5,
                IouCriterion.Score.IOU, 0).score(e), 0);
        double[] l1 = new L1Criterion().score(e);
        double[] magnitudeOnly = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5,
                IouCriterion.Score.IOU, 1).score(e);
        assertArrayEquals(IouCriterion.scaledRanks(l1), magnitudeOnly, 1e-12);
        double[] half = new IouCriterion("Crack", false, Binarization.POSITIVE, 0f, MaskResize.ANY, 0.1, 0.5,
                IouCriterion.Score.IOU, 0.5).score(e);
        double[] ri = IouCriterion.scaledRanks(iou);
        double[] rl = IouCriterion.scaledRanks(l1);
        for (int f = 0; f < half.length; f++) {
            assertEquals((ri[f] + rl[f]) / 2, half[f], 1e-12, "filter " + f);
        }
        assertThrows(IllegalArgumentException.class, () -> new IouCriterion("Crack", false, Binarization.POSITIVE, 0f,
                MaskResize.ANY, 0.1, 0.5, IouCriterion.Score.IOU, 1.5));
    }

    @Test
    void spreadCountsDistinctScoresAndTiesAtTheCut() {
        double[] s = {0.5, 0.2, 0.2, 0.2, 0.1, Double.NaN};
        int[] kept = KeepRule.FTL.keep(s, 2.0 / 6, "c");
        assertArrayEquals(new int[] {0, 1}, kept);
        ScoreSpread sp = ScoreSpread.of(s, kept);
        assertEquals(0.1, sp.min(), 0);
        assertEquals(0.2, sp.median(), 0);
        assertEquals(0.5, sp.max(), 0);
        assertEquals(4, sp.distinct());
        assertEquals(3, sp.tiedAtCut());
        assertEquals(1, sp.tiedKept());
        ScoreSpread none = ScoreSpread.of(new double[] {3, 2, 1}, new int[] {0});
        assertEquals(1, none.tiedAtCut());
        assertEquals(1, none.tiedKept());
    }
}
