package org.ftl.prune;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.data.Images;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.data.SegmentedPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad segmented pairs: each left out or repaired, named, and the good ones beside them still used. */
class SegmentedLoaderTest {
    @TempDir
    Path dir;

    private static final InputShape IN = new InputShape(16, 16, 3);
    private final Configuration conf = new Configuration();

    private String png(String name, int w, int h, int... levels) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int i = 0; i < w * h; i++) {
            img.getRaster().setSample(i % w, i / w, 0, levels.length == 0 ? 128 : levels[i % levels.length]);
        }
        Path p = dir.resolve(name);
        Images.writePng(img, p);
        return p.toString();
    }

    @Test
    void eachProblemIsNamedAndTheRestIsUsed() throws IOException {
        Path broken = dir.resolve("broken.png");
        Files.write(broken, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        List<SegmentedPair> pairs = List.of(
                new SegmentedPair(png("good.png", 16, 16), png("good-mask.png", 16, 16, 0, 255), "Crack"),
                new SegmentedPair(png("big.png", 32, 32), png("small-mask.png", 16, 16, 0, 255), "Crack"),
                new SegmentedPair(png("grey.png", 16, 16), png("grey-mask.png", 16, 16, 0, 100, 255), "Crack"),
                new SegmentedPair(png("empty.png", 16, 16), png("empty-mask.png", 16, 16, 0), "Crack"),
                new SegmentedPair(png("full.png", 16, 16), png("full-mask.png", 16, 16, 255), "Crack"),
                new SegmentedPair(broken.toString(), png("orphan-mask.png", 16, 16, 0, 255), "Crack"));
        SegmentedLoader.Loaded l = SegmentedLoader.load(pairs, null, IN, Preprocessing.UNIT, MaskResize.ANY, conf);
        assertEquals(List.of("good.png", "big.png", "grey.png", "empty.png", "full.png"), l.set().names(),
                "the broken pair alone is left out");
        List<String> p = l.problems();
        assertEquals(5, p.size(), p.toString());
        assertTrue(p.get(0).contains("small-mask.png: 16x16 but its image is 32x32; resized"), p.get(0));
        assertTrue(p.get(1).contains("grey-mask.png: not a binary mask"), p.get(1));
        assertTrue(p.get(2).contains("empty-mask.png: empty mask"), p.get(2));
        assertTrue(p.get(3).contains("full-mask.png: the mask covers the whole image; kept"), p.get(3));
        assertTrue(p.get(4).startsWith(broken + ": not an image") && p.get(4).endsWith("pair left out"), p.get(4));
        // the resized mask keeps its stripes: every other column is object at the image's size, then at the input's
        boolean[] resized = l.set().mask(1, 16, 16, MaskResize.ANY);
        int on = 0;
        for (boolean b : resized) {
            on += b ? 1 : 0;
        }
        assertEquals(128, on);
    }

    @Test
    void nothingUsableIsAnErrorNamingTheFirstProblem() {
        List<SegmentedPair> pairs = List.of(new SegmentedPair(dir.resolve("missing.png").toString(),
                png("m.png", 16, 16, 0, 255), "Crack"));
        FtlError e = assertThrows(FtlError.class, () -> SegmentedLoader.load(pairs, null, IN, Preprocessing.UNIT, MaskResize.ANY, conf));
        assertTrue(e.getMessage().startsWith("no usable segmented image: ") && e.getMessage().contains("missing.png"),
                e.getMessage());
    }

    /** Usable pairs of another class do not hide that none of the required class could be read. */
    @Test
    void noUsablePairOfTheRequiredClassIsAnErrorNamingItsFirstProblem() {
        List<SegmentedPair> pairs = List.of(
                new SegmentedPair(png("road.png", 16, 16), png("road-mask.png", 16, 16, 0, 255), "Background"),
                new SegmentedPair(dir.resolve("gone.png").toString(), png("c1-mask.png", 16, 16, 0, 255), "Crack"),
                new SegmentedPair(dir.resolve("lost.png").toString(), png("c2-mask.png", 16, 16, 0, 255), "Crack"));
        assertEquals(List.of("road.png"), SegmentedLoader.load(pairs, null, IN, Preprocessing.UNIT, MaskResize.ANY, conf)
                .set().names(), "without a required class the usable pair is enough");
        FtlError e = assertThrows(FtlError.class,
                () -> SegmentedLoader.load(pairs, "Crack", IN, Preprocessing.UNIT, MaskResize.ANY, conf));
        assertTrue(e.getMessage().startsWith("segmented: none of the 2 image(s) of the target class Crack with masks"
                + " could be used (the first: ") && e.getMessage().contains("gone.png"), e.getMessage());
    }
}
