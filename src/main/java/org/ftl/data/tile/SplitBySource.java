package org.ftl.data.tile;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Splits source photos, not patches, between training and evaluation. Neighbouring patches of one photo
 * share its lighting, surface and often the same crack; with them on both sides the evaluation would test
 * on near-copies of training data and report an accuracy the classifier does not have on new photos.
 */
public final class SplitBySource {
    private SplitBySource() {
    }

    /**
     * Assigns each source name a split. The names are sorted and then shuffled with {@code seed}, so the
     * result depends only on the set of names and the seed, never on listing order. The evaluation gets
     * {@code round(n * fraction)} photos, but at least one and at most n-1 when the fraction is above 0 and
     * there are two or more photos, so neither side is silently empty.
     */
    public static Map<String, Split> assign(Collection<String> sources, double evaluationFraction, long seed) {
        if (!(evaluationFraction >= 0 && evaluationFraction < 1)) {
            throw new IllegalArgumentException("evaluation fraction must be at least 0 and below 1, not "
                    + evaluationFraction);
        }
        List<String> names = new ArrayList<>(sources);
        Collections.sort(names);
        if (names.stream().distinct().count() != names.size()) {
            throw new IllegalArgumentException("source names must be distinct");
        }
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, new Random(seed));
        int evaluation = evaluationCount(names.size(), evaluationFraction);
        Map<String, Split> out = new LinkedHashMap<>();
        for (String n : names) {
            out.put(n, Split.TRAINING);
        }
        for (int i = 0; i < evaluation; i++) {
            out.put(shuffled.get(i), Split.EVALUATION);
        }
        return out;
    }

    /** How many of {@code n} photos go to evaluation for this fraction (see {@link #assign}). */
    public static int evaluationCount(int n, double fraction) {
        if (fraction <= 0 || n < 2) {
            return 0;
        }
        long k = Math.round(n * fraction);
        return (int) Math.max(1, Math.min(n - 1, k));
    }
}
