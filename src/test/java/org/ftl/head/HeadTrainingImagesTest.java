package org.ftl.head;

import org.ftl.FtlError;
import org.ftl.data.ImageRef;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** head.train-fraction: a seeded share of each class, the same whatever order the images were listed in. */
class HeadTrainingImagesTest {
    private static List<ImageRef> dataset(int cracks, int backgrounds) {
        List<ImageRef> out = new ArrayList<>();
        for (int i = 0; i < cracks; i++) {
            out.add(new ImageRef("data/dataset/Crack/c" + i + ".png", "Crack", ImageRef.Split.DATASET));
        }
        for (int i = 0; i < backgrounds; i++) {
            out.add(new ImageRef("data/dataset/Background/b" + i + ".png", "Background", ImageRef.Split.DATASET));
        }
        return out;
    }

    private static long of(List<ImageRef> images, String c) {
        return images.stream().filter(r -> r.className().equals(c)).count();
    }

    @Test
    void keepsTheShareOfEachClassInListingOrder() {
        List<ImageRef> all = dataset(40, 120);
        List<ImageRef> chosen = HeadTrainingImages.choose(all, 0.75, 4, 42, "data");
        assertEquals(30, of(chosen, "Crack"));
        assertEquals(90, of(chosen, "Background"));
        List<ImageRef> inOrder = all.stream().filter(chosen::contains).toList();
        assertEquals(inOrder, chosen, "listing order kept");
        assertSame(all, HeadTrainingImages.choose(all, 1.0, 4, 42, "data"), "1 is every image");
    }

    @Test
    void theSeedChoosesAndTheListingOrderDoesNot() {
        List<ImageRef> all = dataset(40, 120);
        List<ImageRef> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new java.util.Random(1));
        assertEquals(setOf(HeadTrainingImages.choose(all, 0.75, 4, 42, "data")),
                setOf(HeadTrainingImages.choose(shuffled, 0.75, 4, 42, "data")));
        assertNotEquals(setOf(HeadTrainingImages.choose(all, 0.75, 4, 42, "data")),
                setOf(HeadTrainingImages.choose(all, 0.75, 4, 43, "data")));
    }

    @Test
    void aClassLeftWithFewerImagesThanFoldsStopsNamingIt() {
        FtlError e = assertThrows(FtlError.class, () -> HeadTrainingImages.choose(dataset(4, 40), 0.75, 4, 42, "data"));
        assertTrue(e.getMessage().startsWith("data/dataset/Crack: head.train-fraction 0.75 leaves 3 of its 4 images"),
                e.getMessage());
    }

    private static java.util.Set<ImageRef> setOf(List<ImageRef> l) {
        return new java.util.HashSet<>(l);
    }
}
