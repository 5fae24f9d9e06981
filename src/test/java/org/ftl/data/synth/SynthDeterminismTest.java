package org.ftl.data.synth;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Same seed, same bytes: each image depends on (seed, split, class, index) and nothing else. */
class SynthDeterminismTest {
    /** The image's PNG bytes: what two runs must agree on. */
    static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] png(CrackSynthesizer s, long seed, Split split, boolean crack, int index) {
        return png(s.synthesize(seed, split, crack, index).image());
    }

    @Test
    void sameSeedGivesIdenticalBytes() {
        CrackSynthesizer a = new CrackSynthesizer(64, 0.5, 0.6);
        CrackSynthesizer b = new CrackSynthesizer(64, 0.5, 0.6);
        for (int i = 0; i < 6; i++) {
            for (boolean crack : new boolean[] {true, false}) {
                assertArrayEquals(png(a, 5, Split.DATASET, crack, i), png(b, 5, Split.DATASET, crack, i));
                assertArrayEquals(a.synthesize(5, Split.SEGMENTED, true, i).mask(), b.synthesize(5, Split.SEGMENTED, true, i).mask());
            }
        }
    }

    @Test
    void differentSeedSplitClassOrIndexGivesADifferentImage() {
        CrackSynthesizer s = new CrackSynthesizer(64, 0.5, 0.6);
        byte[] ref = png(s, 5, Split.DATASET, true, 3);
        assertFalse(java.util.Arrays.equals(ref, png(s, 6, Split.DATASET, true, 3)), "seed");
        assertFalse(java.util.Arrays.equals(ref, png(s, 5, Split.EVALUATION, true, 3)), "split");
        assertFalse(java.util.Arrays.equals(ref, png(s, 5, Split.DATASET, false, 3)), "class");
        assertFalse(java.util.Arrays.equals(ref, png(s, 5, Split.DATASET, true, 4)), "index");
    }

    /** Parallel generation in any order gives what sequential generation gives. */
    @Test
    void orderOfGenerationDoesNotMatter() {
        CrackSynthesizer s = new CrackSynthesizer(48, 0.5, 0.6);
        byte[][] sequential = new byte[16][];
        for (int i = 0; i < 16; i++) {
            sequential[i] = png(s, 9, Split.DATASET, i % 2 == 0, i);
        }
        byte[][] parallel = new byte[16][];
        java.util.stream.IntStream.range(0, 16).map(i -> 15 - i).parallel()
                .forEach(i -> parallel[i] = png(s, 9, Split.DATASET, i % 2 == 0, i));
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(sequential[i], parallel[i], "image " + i);
        }
    }
}
