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
}
