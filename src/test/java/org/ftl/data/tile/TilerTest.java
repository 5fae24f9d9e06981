package org.ftl.data.tile;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Patch kinds on a mask built so that every patch's crack cover is known. */
class TilerTest {
    /**
     * 260x128 mask, 64x64 patches: 4 columns x 2 rows (the 4-pixel strip on the right is not a patch, so its
     * crack pixels count for nothing). Crack pixels per patch, with 2 % of 4096 = 81.92:
     * <pre>
     *   (0,0) 100 Crack   (64,0) 40 sliver   (128,0) 0 Background   (192,0) 4096 Crack
     *   (0,64) 82 Crack   (64,64) 81 sliver  (128,64) 0 Background  (192,64) 0 Background
     * </pre>
     */
    static boolean[] constructedMask() {
        int w = 260;
        boolean[] m = new boolean[w * 128];
        fill(m, w, 0, 0, 100);
        fill(m, w, 64, 0, 40);
        for (int y = 0; y < 64; y++) {
            for (int x = 192; x < 256; x++) {
                m[y * w + x] = true;
            }
        }
        fill(m, w, 0, 64, 82);
        fill(m, w, 64, 64, 81);
        for (int y = 0; y < 128; y++) {
            m[y * w + 258] = true; // in the unused strip
        }
        return m;
    }

    /** Sets {@code n} pixels of the 64x64 patch at (px, py), row by row from its corner. */
    private static void fill(boolean[] m, int w, int px, int py, int n) {
        for (int i = 0; i < n; i++) {
            m[(py + i / 64) * w + px + i % 64] = true;
        }
    }

    @Test
    void patchesAreSortedByCrackCover() {
        List<Tiler.Patch> patches = new Tiler(64, 64, 0.02).cut(constructedMask(), 260, 128);
        assertEquals(8, patches.size());
        Map<String, Tiler.Kind> kinds = patches.stream()
                .collect(Collectors.toMap(p -> p.x() + "," + p.y(), Tiler.Patch::kind));
        assertEquals(Tiler.Kind.CRACK, kinds.get("0,0"));
        assertEquals(Tiler.Kind.SLIVER, kinds.get("64,0"));
        assertEquals(Tiler.Kind.BACKGROUND, kinds.get("128,0"));
        assertEquals(Tiler.Kind.CRACK, kinds.get("192,0"));
        assertEquals(Tiler.Kind.CRACK, kinds.get("0,64"));
        assertEquals(Tiler.Kind.SLIVER, kinds.get("64,64"));
        assertEquals(Tiler.Kind.BACKGROUND, kinds.get("128,64"));
        assertEquals(Tiler.Kind.BACKGROUND, kinds.get("192,64"));
        assertEquals(100 / 4096.0, patches.get(0).crackFraction(), 1e-12);
        assertEquals(1.0, patches.get(3).crackFraction(), 1e-12);
    }

    @Test
    void countsFollowTheMinimumCover() {
        Map<Tiler.Kind, Long> at2 = counts(new Tiler(64, 64, 0.02));
        assertEquals(3, at2.get(Tiler.Kind.CRACK));
        assertEquals(3, at2.get(Tiler.Kind.BACKGROUND));
        assertEquals(2, at2.get(Tiler.Kind.SLIVER));
        // at 0.5 % (20.48 px) the two slivers become Crack
        Map<Tiler.Kind, Long> atHalf = counts(new Tiler(64, 64, 0.005));
        assertEquals(5, atHalf.get(Tiler.Kind.CRACK));
        assertEquals(null, atHalf.get(Tiler.Kind.SLIVER));
    }

    private static Map<Tiler.Kind, Long> counts(Tiler t) {
        return t.cut(constructedMask(), 260, 128).stream()
                .collect(Collectors.groupingBy(Tiler.Patch::kind, Collectors.counting()));
    }

    @Test
    void strideSetsTheCornersAndPatchesStayInside() {
        List<Tiler.Patch> patches = new Tiler(64, 32, 0.02).cut(constructedMask(), 260, 128);
        // x in 0, 32, ..., 192 (7 corners; 224 + 64 > 260), y in 0, 32, 64 (3 corners)
        assertEquals(7 * 3, patches.size());
        assertEquals(192, patches.stream().mapToInt(Tiler.Patch::x).max().orElseThrow());
        assertEquals(64, patches.stream().mapToInt(Tiler.Patch::y).max().orElseThrow());
        // (32,0) spans x 32..95, y 0..63: 32 + 4 pixels of (0,0)'s 100 and 32 of (64,0)'s 40
        Tiler.Patch straddling = patches.stream().filter(p -> p.x() == 32 && p.y() == 0).findFirst().orElseThrow();
        assertEquals(68 / 4096.0, straddling.crackFraction(), 1e-12);
        assertEquals(Tiler.Kind.SLIVER, straddling.kind());
        assertEquals(0, new Tiler(64, 64, 0.02).cut(new boolean[63 * 63], 63, 63).size(), "smaller than a patch");
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Tiler(0, 1, 0.02));
        assertThrows(IllegalArgumentException.class, () -> new Tiler(64, 64, 0));
        assertThrows(IllegalArgumentException.class, () -> new Tiler(64, 64, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new Tiler(64, 64, 0.02).cut(new boolean[10], 4, 4));
    }
}
