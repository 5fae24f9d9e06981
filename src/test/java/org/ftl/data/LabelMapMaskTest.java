package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.config.ConfigError;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.tile.TileCounts;
import org.ftl.data.tile.TileJob;
import org.ftl.prune.MaskResize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Masks of the original method's OpenCV labeler: label maps, each contour filled with its class (1 Crack, 2 Pore,
 * 3 Dirt, 4 Background), saved by {@code cv2.imwrite} as 8-bit PNGs with three equal channels. Read by the rule the
 * settings name, or refused by name when the brightness rule would lose labels — never read wrongly without a word.
 */
class LabelMapMaskTest {
    @TempDir
    Path dir;

    private static final int W = 20;
    private static final int H = 16;
    private static final InputShape IN = new InputShape(H, W, 3);
    private final Configuration conf = new Configuration();

    /** The class of pixel (x, y): a Crack line, a Pore blob, a Dirt patch and a Background region on 0. */
    private static int label(int x, int y) {
        if (y == 8 && x >= 2 && x < 18) {
            return 1;
        }
        if (x >= 2 && x < 5 && y >= 2 && y < 5) {
            return 2;
        }
        if (x >= 14 && x < 18 && y >= 11 && y < 14) {
            return 3;
        }
        if (x < 4 && y >= 12) {
            return 4;
        }
        return 0;
    }

    /** As cv2.imwrite writes the labeler's {@code imageLabeled.astype("uint8")}: three equal 8-bit channels. */
    private String labelerPng(String name) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, label(x, y) * 0x010101);
            }
        }
        return write(img, name);
    }

    /** The same map as a 16-bit grey PNG, as other tools write label maps. */
    private String grey16Png(String name) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.getRaster().setSample(x, y, 0, label(x, y));
            }
        }
        return write(img, name);
    }

    private String photo(String name) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.setRGB(x, y, label(x, y) == 1 ? 0x303030 : 0xb0b0b0);
            }
        }
        return write(img, name);
    }

    private String write(BufferedImage img, String name) {
        Path p = dir.resolve(name);
        Images.writePng(img, p);
        return p.toString();
    }

    private static boolean[] expected(int... labels) {
        boolean[] m = new boolean[W * H];
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int l : labels) {
                    m[y * W + x] |= label(x, y) == l;
                }
            }
        }
        return m;
    }

    /** The mask rule as a user sets it: through the configuration, so messages name the setting and its origin. */
    private static MaskObject setting(String value) {
        List<SettingOverride> sets = value == null ? List.of() : List.of(SettingOverride.set("data.mask-object=" + value));
        FtlConfig c = FtlConfig.load(null, sets, Map.of());
        return c.data().maskObject();
    }

    private org.ftl.prune.SegmentedLoader.Loaded load(String mask, MaskObject object) {
        List<SegmentedPair> pairs = List.of(new SegmentedPair(photo("p.png"), mask, "Crack"));
        return org.ftl.prune.SegmentedLoader.load(pairs, "Crack", IN, Preprocessing.UNIT, object, MaskResize.ANY, conf);
    }

    @Test
    void theBrightnessRuleRefusesALabelMapNamingTheFileItsLevelsAndTheSetting() {
        String mask = labelerPng("labeler.png");
        FtlError e = assertThrows(FtlError.class, () -> load(mask, setting(null)));
        String m = e.getMessage();
        assertTrue(m.startsWith(mask + ": a label map (levels 0, 1, 2, 3, 4)"), m);
        assertTrue(m.contains("ftl.data.mask-object = brightness (from reference.conf: "), m);
        // half of the brightest level 4 is 2: only 3 and 4 are brighter; the Crack pixels (1) would be lost
        assertTrue(m.contains("keeps only 3, 4 and would drop every pixel of 1, 2"), m);
        assertTrue(m.contains("nonzero") && m.contains("[1]"), m);
        assertEquals(1, m.lines().count(), m);
        // a 16-bit map too, although its 8-bit view is all black
        FtlError e16 = assertThrows(FtlError.class, () -> load(grey16Png("grey16.png"), setting(null)));
        assertTrue(e16.getMessage().contains("a label map (levels 0, 1, 2, 3, 4)"), e16.getMessage());
        assertTrue(e16.getMessage().contains("keeps none of them"), e16.getMessage());
    }

    @Test
    void nonzeroCountsEveryLabelledPixel() {
        org.ftl.prune.SegmentedLoader.Loaded l = load(labelerPng("labeler.png"), setting("nonzero"));
        assertArrayEquals(expected(1, 2, 3, 4), l.set().mask(0, H, W, MaskResize.ANY));
        assertTrue(l.problems().get(0).contains("not a binary mask (more than two grey levels); object where non-zero"),
                l.problems().toString());
    }

    @Test
    void aListOfLabelsKeepsThoseLabelsOnly() {
        String mask = labelerPng("labeler.png");
        org.ftl.prune.SegmentedLoader.Loaded crack = load(mask, setting("[1]"));
        assertArrayEquals(expected(1), crack.set().mask(0, H, W, MaskResize.ANY));
        assertEquals(List.of(), crack.problems(), "several levels are what a label list expects");
        assertArrayEquals(expected(1, 3), load(mask, setting("[3, 1]")).set().mask(0, H, W, MaskResize.ANY));
        // one number is a list of one
        assertArrayEquals(expected(1), load(mask, setting("1")).set().mask(0, H, W, MaskResize.ANY));
        // 16-bit maps keep their stored class values
        assertArrayEquals(expected(1), load(grey16Png("grey16.png"), setting("[1]")).set().mask(0, H, W, MaskResize.ANY));
    }

    @Test
    void aLabelListMatchingNoLevelIsAnEmptyMaskNamingItsLevels() {
        BufferedImage binary = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
        binary.getRaster().setSample(3, 3, 0, 255);
        org.ftl.prune.SegmentedLoader.Loaded l = load(write(binary, "binary.png"), setting("[1]"));
        assertTrue(l.problems().get(0).contains("binary.png: empty mask: none of its levels (0, 255) is a label of "
                + "ftl.data.mask-object = [1] (from --set"), l.problems().toString());
    }

    /** Binary masks, 0/255 and 0/1, are no label maps to lose: the default reads them as before. */
    @Test
    void binaryMasksStillReadByBrightness() {
        for (int on : new int[] {1, 255}) {
            BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    img.getRaster().setSample(x, y, 0, label(x, y) == 1 ? on : 0);
                }
            }
            org.ftl.prune.SegmentedLoader.Loaded l = load(write(img, "bin" + on + ".png"), setting(null));
            assertArrayEquals(expected(1), l.set().mask(0, H, W, MaskResize.ANY), "0/" + on);
        }
    }

    @Test
    void badSettingsAreOneLineNamingTheKey() {
        for (String bad : new String[] {"bright", "[0]", "[1.5]", "[]", "[a]", "70000"}) {
            ConfigError e = assertThrows(ConfigError.class, () -> setting(bad), bad);
            assertTrue(e.getMessage().startsWith("ftl.data.mask-object = "), e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
    }

    /** {@code ftl tile} reads the photos' masks by the same rule: the labeler's maps give Crack patches, or stop. */
    @Test
    void tilingLabelMapsUsesTheRuleOrStops() throws Exception {
        Path images = Files.createDirectories(dir.resolve("photos"));
        Path masks = Files.createDirectories(dir.resolve("masks"));
        for (String n : new String[] {"a", "b"}) {
            Images.writePng(Images.read(Path.of(photo("p.png"))), images.resolve(n + ".png"));
            Images.writePng(Images.read(Path.of(labelerPng("m.png"))), masks.resolve(n + ".png"));
        }
        TileJob.Settings brightness = new TileJob.Settings(4, 4, 0.01, 0.5, 1, 0, "Crack", "Background", false);
        FtlError e = assertThrows(FtlError.class, () -> new TileJob(brightness).run(images, masks, dir.resolve("t1")));
        assertTrue(e.getMessage().contains("masks/a.png: a label map (levels 0, 1, 2, 3, 4), but --mask-object brightness"),
                e.getMessage());
        assertTrue(!Files.exists(dir.resolve("t1")), "nothing written");

        TileJob.Settings crack = new TileJob.Settings(4, 4, 0.01, 0.5, 1, 0, "Crack", "Background", false,
                MaskObject.parse("1", "--mask-object 1"));
        TileCounts c = new TileJob(crack).run(images, masks, dir.resolve("t2"));
        // 4x4 patches of a 20x16 photo: the Crack row y = 8 crosses the patches of the third row, x from 2 to 17
        assertEquals(2 * 5, c.crack(org.ftl.data.tile.Split.TRAINING) + c.crack(org.ftl.data.tile.Split.EVALUATION));
        Path someMask = Files.list(dir.resolve("t2/segmented/masks/Crack")).findFirst().orElseThrow();
        assertEquals(java.util.Set.of(0, 255), MaskObject.levels(Images.maskLevels(Images.read(someMask))),
                "patch masks are written 0/255");
    }
}
