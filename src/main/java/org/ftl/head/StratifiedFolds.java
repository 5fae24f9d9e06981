package org.ftl.head;

import org.ftl.FtlError;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Stratified k-fold assignment: each class's images are shuffled (seeded) and dealt to the folds in turn,
 * continuing from class to class, so every fold holds each class's share to within one image and the folds'
 * sizes differ by at most one.
 */
public final class StratifiedFolds {
    private StratifiedFolds() {
    }

    /**
     * The fold (0 … folds−1) of each image.
     *
     * @throws FtlError if a class has fewer images than folds: a fold would lack it, and its scores would not be
     *                  comparable
     */
    public static int[] assign(int[] labels, List<String> classes, int folds, long seed) {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] < folds) {
                throw new FtlError("class '" + classes.get(c) + "' has " + counts[c] + " training image"
                        + (counts[c] == 1 ? "" : "s") + ", fewer than the " + folds + " folds of the head's"
                        + " cross-validation (needs at least one per fold; add images or lower ftl.head.folds)");
            }
        }
        // java.util.Random's sequence is fixed by its specification: the same seed gives the same folds anywhere
        Random random = new Random(seed);
        int[] fold = new int[labels.length];
        int next = 0;
        for (int c = 0; c < counts.length; c++) {
            List<Integer> members = new ArrayList<>(counts[c]);
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            Collections.shuffle(members, random);
            for (int i : members) {
                fold[i] = next;
                next = (next + 1) % folds;
            }
        }
        return fold;
    }

    /**
     * The images ordered fold by fold, each fold's in their original order, so that every fold is one contiguous
     * run of rows of a {@link Design} made in that order: fold f is rows [start[f], start[f + 1]).
     */
    record Layout(int[] order, int[] start) {
        /** Fold f's rows. */
        Rows heldOut(int f) {
            return new Rows(start[f], start[f + 1]);
        }

        /** The rows of every other fold: the runs before and after fold f (one of them when f is first or last). */
        List<Rows> training(int f) {
            List<Rows> runs = new ArrayList<>(2);
            if (start[f] > 0) {
                runs.add(new Rows(0, start[f]));
            }
            if (start[f + 1] < order.length) {
                runs.add(new Rows(start[f + 1], order.length));
            }
            return runs;
        }
    }

    /** {@link #assign}'s folds laid out as a {@link Layout}. */
    static Layout layout(int[] labels, List<String> classes, int folds, long seed) {
        int[] fold = assign(labels, classes, folds, seed);
        int[] order = IntStream.range(0, labels.length).boxed()
                .sorted((a, b) -> fold[a] != fold[b] ? Integer.compare(fold[a], fold[b]) : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
        int[] start = new int[folds + 1];
        for (int f : fold) {
            start[f + 1]++;
        }
        for (int f = 0; f < folds; f++) {
            start[f + 1] += start[f];
        }
        return new Layout(order, start);
    }
}
