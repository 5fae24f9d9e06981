package org.ftl.head;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Scores of a head's predictions, scikit-learn's definitions:
 * <ul>
 *   <li>the prediction is the most probable class (the lower index on a tie);</li>
 *   <li>accuracy: correct / all;</li>
 *   <li>two classes: precision, recall and F1 of the positive class (the target class), AUC the ROC AUC of the
 *       positive class's probability;</li>
 *   <li>three or more: macro averages, each class one-vs-rest with equal weight; F1 is the mean of the classes'
 *       F1 (not the F1 of the mean precision and recall); AUC the mean one-vs-rest AUC over the classes that
 *       occur and do not make up every image.</li>
 * </ul>
 * Edge cases (scikit-learn's {@code zero_division=0}): no positive predictions → precision 0; no positive
 * images → recall 0; precision + recall = 0 → F1 0; AUC with no positive or no negative image → NaN (it is
 * undefined, and 0.5 would read as a coin). AUC counts tied scores as half (the rank / Mann–Whitney formula with
 * average ranks), so a constant score gives exactly 0.5.
 */
public final class Metrics {
    private Metrics() {
    }

    /**
     * @param truth         true class of each image
     * @param probabilities [n][k] class probabilities
     * @param positive      the positive class index, used with two classes (the target class)
     */
    public static Evaluation evaluate(int[] truth, double[][] probabilities, int positive) {
        if (probabilities.length != truth.length || truth.length == 0) {
            throw new IllegalArgumentException(truth.length + " labels for " + probabilities.length
                    + " rows of probabilities: need the same number, at least one");
        }
        int k = probabilities[0].length;
        if (k < 2) {
            throw new IllegalArgumentException("need at least two classes, got " + k);
        }
        if (k == 2 && (positive < 0 || positive >= k)) {
            throw new IllegalArgumentException("positive class " + positive + " is not one of the two classes");
        }
        int[] predicted = predictions(probabilities);
        int[][] confusion = confusion(truth, predicted, k);
        double accuracy = (double) IntStream.range(0, k).map(c -> confusion[c][c]).sum() / truth.length;
        if (k == 2) {
            double[] scores = Arrays.stream(probabilities).mapToDouble(p -> p[positive]).toArray();
            return new Evaluation(k, positive, accuracy, precision(confusion, positive), recall(confusion, positive),
                    f1(confusion, positive), auc(scores, positives(truth, positive)), confusion);
        }
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        double aucSum = 0;
        int aucClasses = 0;
        for (int c = 0; c < k; c++) {
            precision += precision(confusion, c);
            recall += recall(confusion, c);
            f1 += f1(confusion, c);
            final int cl = c;
            double a = auc(Arrays.stream(probabilities).mapToDouble(p -> p[cl]).toArray(), positives(truth, c));
            if (!Double.isNaN(a)) {
                aucSum += a;
                aucClasses++;
            }
        }
        return new Evaluation(k, -1, accuracy, precision / k, recall / k, f1 / k,
                aucClasses == 0 ? Double.NaN : aucSum / aucClasses, confusion);
    }

    /** The most probable class of each row, the lower index on a tie. */
    public static int[] predictions(double[][] probabilities) {
        int[] out = new int[probabilities.length];
        for (int i = 0; i < out.length; i++) {
            double[] p = probabilities[i];
            int best = 0;
            for (int c = 1; c < p.length; c++) {
                if (p[c] > p[best]) {
                    best = c;
                }
            }
            out[i] = best;
        }
        return out;
    }

    /** Counts [true][predicted]. */
    public static int[][] confusion(int[] truth, int[] predicted, int classes) {
        int[][] m = new int[classes][classes];
        for (int i = 0; i < truth.length; i++) {
            m[truth[i]][predicted[i]]++;
        }
        return m;
    }

    /** TP / (TP + FP) of one class; 0 when it is never predicted. */
    public static double precision(int[][] confusion, int c) {
        int tp = confusion[c][c];
        int predicted = 0;
        for (int[] row : confusion) {
            predicted += row[c];
        }
        return predicted == 0 ? 0 : (double) tp / predicted;
    }

    /** TP / (TP + FN) of one class; 0 when no image is of it. */
    public static double recall(int[][] confusion, int c) {
        int actual = Arrays.stream(confusion[c]).sum();
        return actual == 0 ? 0 : (double) confusion[c][c] / actual;
    }

    /** 2PR / (P + R) of one class; 0 when P + R = 0. */
    public static double f1(int[][] confusion, int c) {
        double p = precision(confusion, c);
        double r = recall(confusion, c);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /**
     * ROC AUC of scores for a positive/negative split: the probability that a random positive scores above a
     * random negative, ties counting half, computed from average ranks (Mann–Whitney U / (P·N)).
     * NaN when there is no positive or no negative.
     */
    public static double auc(double[] scores, boolean[] positive) {
        int n = scores.length;
        long positives = 0;
        for (boolean p : positive) {
            if (p) {
                positives++;
            }
        }
        long negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRanks = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double rank = (i + j + 2) / 2.0; // ranks i+1 … j+1, averaged over the tie
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    positiveRanks += rank;
                }
            }
            i = j + 1;
        }
        double u = positiveRanks - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    private static boolean[] positives(int[] truth, int c) {
        boolean[] out = new boolean[truth.length];
        for (int i = 0; i < truth.length; i++) {
            out[i] = truth[i] == c;
        }
        return out;
    }

    /** The score cross-validation ranks C by: {@code accuracy} or {@code f1} (binary: positive class; else macro). */
    static double score(Evaluation e, String metric) {
        return switch (metric) {
            case "accuracy" -> e.accuracy();
            case "f1" -> e.f1();
            default -> throw new IllegalArgumentException("cv metric must be accuracy or f1, not " + metric);
        };
    }
}
