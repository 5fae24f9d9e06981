package org.ftl.head;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HeadFoldsTest {
    private static final List<String> THREE = List.of("Background", "Crack", "Joint");

    private static int[] labels() {
        // 70 background, 23 crack, 9 joint, interleaved
        int[] labels = new int[102];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i < 9 ? 2 : i % 4 == 0 && i < 101 ? 1 : 0;
        }
        return labels;
    }

    @Test
    void everyFoldKeepsEachClasssShareToWithinOneImage() {
        int[] labels = labels();
        int folds = 4;
        int[] fold = StratifiedFolds.assign(labels, THREE, folds, 42);
        int[] perClass = new int[3];
        for (int l : labels) {
            perClass[l]++;
        }
        int[][] count = new int[folds][3];
        int[] size = new int[folds];
        for (int i = 0; i < labels.length; i++) {
            count[fold[i]][labels[i]]++;
            size[fold[i]]++;
        }
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < folds; f++) {
                double share = (double) perClass[c] / folds;
                assertTrue(Math.abs(count[f][c] - share) < 1, "class " + c + " fold " + f + ": " + count[f][c] + " of " + perClass[c]);
            }
        }
        int min = java.util.Arrays.stream(size).min().orElseThrow();
        int max = java.util.Arrays.stream(size).max().orElseThrow();
        assertTrue(max - min <= 1, java.util.Arrays.toString(size));
    }

    @Test
    void theSameSeedGivesTheSameFoldsAndAnotherSeedOthers() {
        int[] labels = labels();
        int[] a = StratifiedFolds.assign(labels, THREE, 4, 42);
        assertArrayEquals(a, StratifiedFolds.assign(labels, THREE, 4, 42));
        assertFalse(java.util.Arrays.equals(a, StratifiedFolds.assign(labels, THREE, 4, 43)));
        int[] fourEach = StratifiedFolds.assign(new int[] {0, 0, 0, 0, 1, 1, 1, 1}, List.of("a", "b"), 4, 42);
        assertArrayEquals(new int[] {0, 1, 2, 3, 0, 1, 2, 3}, sortedByLabel(fourEach));
    }

    /** Folds of a class, sorted: with one image per fold each class covers 0…3 once. */
    private static int[] sortedByLabel(int[] fold) {
        int[] a = java.util.Arrays.copyOfRange(fold, 0, 4);
        int[] b = java.util.Arrays.copyOfRange(fold, 4, 8);
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        int[] out = new int[8];
        System.arraycopy(a, 0, out, 0, 4);
        System.arraycopy(b, 0, out, 4, 4);
        return out;
    }
}
