package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** File names as people and tools write them go through listing, Hadoop paths and decoding unchanged. */
class FileNamesTest {
    @TempDir
    Path root;

    static final List<String> NAMES = List.of("Riß 01.png", "ひび.jpg", "a b  c.png", "100%.png", "a%20b.png",
            "x:y.png", "#1 [crack] {a}.png", "semi;colon&amp'.png", "é-composé.png", "+plus=.png", "?.png", "tab\tname.png");

    @Test
    void namesWithSpacesPercentColonsAndNonAsciiAreListedAndRead() throws IOException {
        for (String cls : new String[] {"Background", "Crack"}) {
            for (String n : NAMES) {
                Path p = root.resolve("dataset").resolve(cls).resolve(n);
                Files.createDirectories(p.getParent());
                Files.write(p, ImageVariants.write(new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB),
                        n.endsWith(".jpg") ? "jpg" : "png"));
            }
        }
        Configuration conf = new Configuration();
        DataListing l = DataListing.scan(root.toString(), List.of("png", "jpg"), conf);
        assertEquals(2 * NAMES.size(), l.dataset().size(), l.dataset().toString());
        assertEquals(NAMES.stream().sorted().toList(),
                l.dataset().stream().filter(r -> r.className().equals("Crack")).map(ImageRef::name).toList());
        assertEquals(64, DataFingerprint.of(l, conf).length());
        for (ImageRef r : l.dataset()) {
            assertEquals(8, Images.decode(DataFiles.read(r.path(), conf), r.path()).getWidth(), r.path());
        }
    }
}
