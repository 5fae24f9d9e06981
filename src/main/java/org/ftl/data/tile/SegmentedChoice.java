package org.ftl.data.tile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;

/**
 * Chooses which training Crack patches also go to the segmented set (image + mask) that scores the
 * backbone's filters. Only training patches are offered: a filter chosen by how well it sees the
 * evaluation photos' cracks would leak the test set into the model.
 */
public final class SegmentedChoice {
    /** Mixed into the seed so the choice is not correlated with the split, which uses the seed as it is. */
    private static final long SALT = 0x5E6E_E7ED_5E7L;

    private SegmentedChoice() {
    }

    /**
     * Up to {@code cap} of the candidate patch names ({@code cap <= 0}: all of them), drawn by {@code seed}
     * from the sorted names, so the same patches and seed always give the same set; returned sorted.
     */
    public static List<String> choose(Collection<String> trainingCrackPatches, int cap, long seed) {
        List<String> names = new ArrayList<>(new TreeSet<>(trainingCrackPatches));
        if (cap <= 0 || cap >= names.size()) {
            return names;
        }
        Collections.shuffle(names, new Random(seed ^ SALT));
        List<String> chosen = new ArrayList<>(names.subList(0, cap));
        Collections.sort(chosen);
        return chosen;
    }
}
