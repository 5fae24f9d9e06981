package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dataset folder holding every good image variant and every bad file, under awkward names, decoded as the
 * backbone's training reads it: the good ones are used, each bad one is left out and named.
 */
class BadImagesTest {
    @TempDir
    Path root;

    /** Writes every variant into both classes, with a prefix that makes the names awkward; returns the layout's root. */
    static Path layout(Path root, String prefix) throws IOException {
        for (String cls : new String[] {"Background", "Crack"}) {
            for (Map<String, byte[]> files : List.of(ImageVariants.good(), ImageVariants.bad())) {
                for (var e : files.entrySet()) {
                    Path p = root.resolve("dataset").resolve(cls).resolve(prefix + e.getKey());
                    Files.createDirectories(p.getParent());
                    Files.write(p, e.getValue());
                }
            }
        }
        return root;
    }

    @Test
    void goodImagesAreUsedAndEachBadOneIsLeftOutByName() throws IOException {
        layout(root, "Riß ひび ");
        Configuration conf = new Configuration();
        List<String> ext = List.of("png", "jpg", "jpeg", "bmp", "gif");
        DataListing listing = DataListing.scan(root.toString(), ext, conf);
        int good = ImageVariants.good().size();
        int bad = ImageVariants.bad().size();
        assertEquals(2 * (good + bad), listing.dataset().size());

        DecodedImages images = DecodedImages.decode(listing.dataset(), listing.classes(), new InputShape(16, 32, 3), conf);
        assertEquals(2 * good, images.size(), images.problems().toString());
        assertEquals(2 * bad, images.problems().size());
        assertTrue(images.refs().stream().allMatch(r -> ImageVariants.good().containsKey(r.name().substring("Riß ひび ".length()))));
        assertEquals(List.of(good, good), java.util.Arrays.stream(images.classCounts()).boxed().toList());
        for (String badName : ImageVariants.bad().keySet()) {
            assertEquals(2, images.problems().stream().filter(p -> p.contains("/Riß ひび " + badName + ": ")).count(),
                    badName + " in " + images.problems());
        }
        assertTrue(images.problems().stream().allMatch(p -> p.endsWith("; left out") && p.indexOf('\n') < 0));
        // the same order on every machine: by class, then name
        assertEquals(listing.dataset().stream().filter(images.refs()::contains).toList(), images.refs());
    }

    @Test
    void nothingReadableIsAnErrorNamingTheFirst() throws IOException {
        for (String cls : new String[] {"A", "B"}) {
            Path p = root.resolve("dataset").resolve(cls).resolve("empty.png");
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[0]);
        }
        Configuration conf = new Configuration();
        DataListing listing = DataListing.scan(root.toString(), List.of("png"), conf);
        String e = assertThrows(FtlError.class, () -> DecodedImages.decode(listing.dataset(), listing.classes(),
                new InputShape(8, 8, 1), conf)).getMessage();
        assertTrue(e.startsWith("none of the 2 images could be read; the first: ") && e.contains("A/empty.png: empty file"), e);
    }
}
