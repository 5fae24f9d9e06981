package org.ftl.prune;

import org.ftl.backbone.ConvChain;

import org.ftl.FtlError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How many filters each rule keeps, and which of equal scores. */
class KeepRuleTest {
    private static final KeepRule ORIGINAL = new KeepRule(KeepRule.Count.ROUND_N_MINUS_1, KeepRule.Ties.HIGHER_INDEX);

    @Test
    void ftlKeepsMaxOfOneAndRoundNfHalvesUp() {
        assertEquals(1, KeepRule.Count.ROUND_N.of(96, 0.001));
        assertEquals(48, KeepRule.Count.ROUND_N.of(96, 0.5));
        assertEquals(13, KeepRule.Count.ROUND_N.of(25, 0.5), "12.5 rounds up");
        assertEquals(96, KeepRule.Count.ROUND_N.of(96, 1.0));
    }

    /** Python 3: round((n - 1) * f), halves to the even neighbour, no minimum; values computed with Python. */
    @Test
    void theOriginalRoundsNMinusOneTimesFHalvesToEven() {
        KeepRule.Count c = KeepRule.Count.ROUND_N_MINUS_1;
        assertEquals(48, c.of(96, 0.5), "round(47.5) = 48");
        assertEquals(128, c.of(256, 0.5), "round(127.5) = 128");
        assertEquals(192, c.of(384, 0.5), "round(191.5) = 192");
        assertEquals(12, c.of(26, 0.5), "round(12.5) = 12, not 13");
        assertEquals(14, c.of(96, 0.15));
        assertEquals(5, c.of(96, 0.05));
        assertEquals(0, c.of(48, 0.01), "round(0.47) = 0: no minimum");
        assertEquals(95, c.of(96, 1.0), "even f = 1 drops one filter");
    }

    @Test
    void tiesGoToTheLowerOrTheHigherIndex() {
        double[] s = {0.1, 0.5, 0.5, 0.5};
        assertArrayEquals(new int[] {1, 2}, KeepRule.FTL.keep(s, 0.5, "conv1"));
        // round(3 · 0.5) = 2 of 4: the higher indices of the three equal scores
        assertArrayEquals(new int[] {2, 3}, ORIGINAL.keep(s, 0.5, "conv1"));
        // NaN is the worst either way
        assertArrayEquals(new int[] {0, 3}, ORIGINAL.keep(new double[] {0.2, Double.NaN, 0.1, 0.3}, 0.7, "conv1"));
    }

    @Test
    void magnitudeBreaksTiesByTheKernelsL1NormThenTheLowerIndex() {
        KeepRule byMagnitude = new KeepRule(KeepRule.Count.ROUND_N, KeepRule.Ties.MAGNITUDE);
        double[] s = {0.1, 0.5, 0.5, 0.5, 0.9};
        // 0.9 first; of the three tied at 0.5 the largest norm (index 3), then 1 before 2 at equal norms
        assertArrayEquals(new int[] {3, 4}, byMagnitude.keep(s, new double[] {9, 1, 2, 3, 0}, 0.4, "conv1"));
        assertArrayEquals(new int[] {1, 3, 4}, byMagnitude.keep(s, new double[] {9, 2, 2, 3, 0}, 0.6, "conv1"));
        // the norm decides ties only: a larger norm does not beat a better score
        assertArrayEquals(new int[] {4}, byMagnitude.keep(s, new double[] {9, 9, 9, 9, 0}, 0.2, "conv1"));
        assertThrows(IllegalArgumentException.class, () -> byMagnitude.keep(s, 0.4, "conv1"));
    }

    /** A criterion that scores every filter 0: which filters are kept is the tie rule's choice alone. */
    static FilterCriterion flat() {
        return new FilterCriterion() {
            public String name() {
                return "flat";
            }

            public boolean needsActivations() {
                return false;
            }

            public double[] score(LayerEvidence e) {
                return new double[e.filters()];
            }
        };
    }

    @Test
    void theMagnitudeRuleKeepsTheLargerNormsOfAllTiedFilters() {
        ConvChain chain = ConvChain.of(TestNets.backbone(org.ftl.backbone.Architecture.ALEXNET, 0.5, false,
                new org.ftl.data.InputShape(64, 64, 3), 1, false), new org.ftl.data.InputShape(64, 64, 3));
        // every filter scores the same: the magnitude rule keeps l1's choice, the index rule the first filters
        FilterCriterion flat = flat();
        PrunedVariant byNorm = new Pruner(chain, flat, null, new KeepRule(KeepRule.Count.ROUND_N, KeepRule.Ties.MAGNITUDE)).prune(0.3);
        PrunedVariant l1 = new Pruner(chain, new L1Criterion(), null, KeepRule.FTL).prune(0.3);
        PrunedVariant byIndex = new Pruner(chain, flat, null, KeepRule.FTL).prune(0.3);
        for (int b = 0; b < l1.kept().size(); b++) {
            assertArrayEquals(l1.kept().get(b), byNorm.kept().get(b), "layer " + b);
        }
        assertEquals(0, byIndex.kept().get(1)[0]);
        assertTrue(byIndex.kept().get(1)[byIndex.kept().get(1).length - 1] == byIndex.kept().get(1).length - 1);
    }

    @Test
    void aRuleThatKeepsNoFilterNamesTheLayer() {
        FtlError e = assertThrows(FtlError.class, () -> ORIGINAL.keep(new double[48], 0.01, "conv1"));
        assertEquals("conv1: prune.keep-count = round-n-minus-1 keeps round((n − 1)·f) = 0 of its 48 filters at leave"
                + " factor f = 0.01; a layer without filters is no network", e.getMessage());
    }

    @Test
    void thePrunerStopsAtTheLayerLeftWithout() {
        ConvChain chain = ConvChain.of(TestNets.backbone(org.ftl.backbone.Architecture.ALEXNET, 0.5, false,
                new org.ftl.data.InputShape(64, 64, 3), 1, false), new org.ftl.data.InputShape(64, 64, 3));
        FtlError e = assertThrows(FtlError.class, () -> new Pruner(chain, new L1Criterion(), null, ORIGINAL).prune(0.01));
        assertTrue(e.getMessage().startsWith("conv1: "), e.getMessage());
        // round(23.5), round(63.5), round(95.5): halves to the even neighbour
        assertEquals(java.util.List.of(24, 64, 96, 96, 64), new Pruner(chain, new L1Criterion(), null, ORIGINAL).prune(0.5)
                .kept().stream().map(k -> k.length).toList());
    }
}
