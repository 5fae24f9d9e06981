package org.ftl.head;

import org.ftl.FtlError;
import org.ftl.data.ImageRef;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The images of dataset/ the heads are trained on: a share of each class (stratified, so the classes keep their
 * balance), chosen by a seeded hash of each file's path so that the same data and seed always give the same
 * images, whatever order they were listed in.
 */
public final class HeadTrainingImages {
    private HeadTrainingImages() {
    }

    /**
     * @param fraction the share of each class kept, {@code round(n·fraction)} of its {@code n} images (all at 1)
     * @param folds    the cross-validation's folds: every class must keep at least this many
     * @param root     the data root, for the message when a class keeps too few
     * @return the chosen images in listing order
     */
    public static List<ImageRef> choose(List<ImageRef> dataset, double fraction, int folds, long seed, String root) {
        if (fraction >= 1) {
            return dataset;
        }
        Map<String, List<ImageRef>> byClass = new LinkedHashMap<>();
        for (ImageRef r : dataset) {
            byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r);
        }
        Set<ImageRef> chosen = new HashSet<>();
        for (Map.Entry<String, List<ImageRef>> e : byClass.entrySet()) {
            List<ImageRef> images = new ArrayList<>(e.getValue());
            int k = (int) Math.round(images.size() * fraction);
            if (k < folds) {
                throw new FtlError(root + "/dataset/" + e.getKey() + ": head.train-fraction " + fraction + " leaves " + k
                        + " of its " + images.size() + " images, fewer than the " + folds + " folds of the head's"
                        + " cross-validation (raise head.train-fraction or lower head.folds)");
            }
            images.sort(Comparator.comparingLong(r -> mix(seed, r.path().hashCode())));
            chosen.addAll(images.subList(0, k));
        }
        return dataset.stream().filter(chosen::contains).toList();
    }

    /** SplitMix64's finaliser of seed and part: a well-spread order that one image's name alone decides. */
    private static long mix(long seed, long part) {
        long z = seed + 0x9E3779B97F4A7C15L * (part + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
