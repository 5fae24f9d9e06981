package org.ftl.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CandidateTest {
    @Test
    void idsKeepTwoDecimalsAndMoreWhenTheFactorHasThem() {
        assertEquals("iou-0.13", new Candidate("iou", 0.13).id());
        assertEquals("iou-0.50", new Candidate("iou", 0.5).id());
        assertEquals("iou-1.00", new Candidate("iou", 1.0).id());
        assertEquals("l1-0.505", new Candidate("l1", 0.505).id());
        assertNotEquals(new Candidate("iou", 0.505).id(), new Candidate("iou", 0.51).id());
    }

    @Test
    void aFineGridGivesOneIdPerFactor() {
        List<Double> grid = LeaveFactors.range(0.001, 0.1, 0.001);
        long distinct = grid.stream().map(f -> new Candidate("iou", f).id()).distinct().count();
        assertEquals(grid.size(), distinct);
        assertEquals("iou-0.003", new Candidate("iou", grid.get(2)).id());
    }

    /** The original method's loop: ITERATOR = 0.01, then += 0.01 while below 1 (values printed by Python). */
    @Test
    void accumulatedFactorsAreTheOriginalLoopsSums() {
        List<Double> grid = LeaveFactors.range(0.01, 0.99, 0.01, LeaveFactors.Steps.ACCUMULATED);
        assertEquals(99, grid.size());
        assertEquals(0.09999999999999999, grid.get(9));
        assertEquals(0.15, grid.get(14));
        assertEquals(0.5000000000000002, grid.get(49));
        assertEquals(0.9900000000000007, grid.get(98));
        assertEquals(0.1, LeaveFactors.range(0.01, 0.99, 0.01).get(9), "decimal steps are exact");
        // ids show the decimal each stands for, one id per factor
        assertEquals("iou-0.10", new Candidate("iou", grid.get(9)).id());
        assertEquals("iou-0.50", new Candidate("iou", grid.get(49)).id());
        assertEquals(grid.size(), LeaveFactors.withDistinctIds(grid).stream().map(f -> new Candidate("iou", f).id())
                .distinct().count());
        // a sum that lands above 1 by rounding is 1
        List<Double> toOne = LeaveFactors.range(0.01, 1.0, 0.01, LeaveFactors.Steps.ACCUMULATED);
        assertEquals(1.0, toOne.get(99));
    }

    @Test
    void factorsCloserThanTheIdsPrecisionAreRefused() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> LeaveFactors.withDistinctIds(List.of(0.1, 0.1000000000001)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("would both be candidate 0.10"), e.getMessage());
    }
}
