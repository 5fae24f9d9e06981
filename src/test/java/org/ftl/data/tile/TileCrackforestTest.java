package org.ftl.data.tile;

import org.ftl.data.DataLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real photos in shared/datasets/crackforest-a (60 480x320 road photos with crack masks), when the
 * machine has them; the suite passes without. Its README announces about 590 Crack and 1450 Background
 * 64x64 patches: the default --min-crack is chosen to give that.
 */
class TileCrackforestTest {
    @TempDir
    Path dir;

    @Test
    void sixtyFourPixelPatchesOfCrackforest() throws IOException {
        Path cf = org.ftl.SharedData.crackforest();
        assumeTrue(cf != null, "crackforest-a is not on this machine");
        Path out = dir.resolve("cf64");
        TileCounts c = new TileJob(new TileJob.Settings(64, 64, 0.01, 0.25, 42, 0, "Crack", "Background", false))
                .run(cf.resolve("images"), cf.resolve("masks"), out);

        assertEquals(45, c.photos(Split.TRAINING));
        assertEquals(15, c.photos(Split.EVALUATION));
        assertTrue(c.photosWithoutMask().isEmpty(), c.photosWithoutMask().toString());
        int crack = c.crack(Split.TRAINING) + c.crack(Split.EVALUATION);
        int background = c.background(Split.TRAINING) + c.background(Split.EVALUATION);
        // 60 photos x 7 x 5 patches = 2100, of which ~590 Crack and ~1450 Background
        assertTrue(crack >= 540 && crack <= 640, "Crack " + crack);
        assertTrue(background >= 1400 && background <= 1500, "Background " + background);
        assertEquals(2100, crack + background + c.slivers());
        DataLayout d = new DataLayout(out);
        for (Path folder : new Path[] {d.dataset("Crack"), d.dataset("Background"), d.evaluation("Crack"),
                d.evaluation("Background"), d.segmentedImages("Crack"), d.segmentedMasks("Crack")}) {
            try (Stream<Path> s = Files.list(folder)) {
                assertTrue(s.findAny().isPresent(), folder + " is empty");
            }
        }
        assertEquals(c.crack(Split.TRAINING), c.segmented());
    }
}
