package org.ftl.prune;

import org.ftl.data.InputShape;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Segmented sets for the pruning tests and benchmark. */
final class PrunerTestSets {
    private PrunerTestSets() {
    }

    /** Random images with random blob masks: enough to exercise the cascade's bookkeeping. */
    static SegmentedSet blobs(InputShape in, int n, long seed) {
        INDArray x = TestNets.images(n, in, seed);
        SplittableRandom r = new SplittableRandom(seed);
        List<boolean[]> masks = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean[] m = new boolean[in.height() * in.width()];
            int cx = r.nextInt(in.width());
            int cy = r.nextInt(in.height());
            for (int y = 0; y < in.height(); y++) {
                for (int xx = 0; xx < in.width(); xx++) {
                    m[y * in.width() + xx] = Math.abs(xx - cx) + Math.abs(y - cy) < 10;
                }
            }
            masks.add(m);
            classes.add(i % 4 == 3 ? "Other" : "Crack");
            names.add("img" + i);
        }
        return new SegmentedSet(in, x.dup('c').data().asFloat(), masks, classes, names);
    }

}
