package org.ftl.data.tile;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SplitBySource and SegmentedChoice: deterministic by seed, independent of listing order. */
class TileSplitTest {
    private static final List<String> PHOTOS = IntStream.rangeClosed(1, 60)
            .mapToObj(i -> String.format("%03d", i)).toList();

    @Test
    void everyPhotoGoesToExactlyOneSplitInTheAskedProportion() {
        Map<String, Split> s = SplitBySource.assign(PHOTOS, 0.25, 42);
        assertEquals(60, s.size());
        assertEquals(15, s.values().stream().filter(v -> v == Split.EVALUATION).count());
        assertEquals(45, s.values().stream().filter(v -> v == Split.TRAINING).count());
    }

    @Test
    void sameSeedSameSplitWhateverTheListingOrder() {
        List<String> shuffled = new ArrayList<>(PHOTOS);
        Collections.shuffle(shuffled, new Random(3));
        assertEquals(SplitBySource.assign(PHOTOS, 0.25, 42), SplitBySource.assign(shuffled, 0.25, 42));
        assertNotEquals(SplitBySource.assign(PHOTOS, 0.25, 42), SplitBySource.assign(PHOTOS, 0.25, 43));
    }

    @Test
    void evaluationIsNeverEmptyNorEverything() {
        assertEquals(1, SplitBySource.evaluationCount(3, 0.01));
        assertEquals(2, SplitBySource.evaluationCount(3, 0.9));
        assertEquals(0, SplitBySource.evaluationCount(1, 0.5), "one photo: all of it trains");
        assertEquals(0, SplitBySource.evaluationCount(10, 0));
        assertEquals(3, SplitBySource.evaluationCount(10, 0.25), "round(2.5) = 3");
    }

    @Test
    void segmentedChoiceIsCappedAndDeterministic() {
        List<String> patches = IntStream.range(0, 100).mapToObj(i -> "p" + i).toList();
        List<String> a = SegmentedChoice.choose(patches, 10, 42);
        assertEquals(10, a.size());
        assertTrue(patches.containsAll(a));
        List<String> reversed = new ArrayList<>(patches);
        Collections.reverse(reversed);
        assertEquals(a, SegmentedChoice.choose(reversed, 10, 42));
        assertNotEquals(a, SegmentedChoice.choose(patches, 10, 7));
        assertEquals(100, SegmentedChoice.choose(patches, 0, 42).size(), "0 = all");
    }
}
