package org.ftl.head;


import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Trains a candidate's head the method's way: C chosen from a grid by stratified k-fold cross-validation on
 * the training split, then the head refitted with that C on the whole split.
 *
 * <p>Within a fold the grid is walked from the smallest C (strongest regularisation) up, each fit starting at
 * the previous C's optimum — the regularisation path. The optimum is unique, so this only saves iterations
 * (large C, near-separable features, is where L-BFGS needs most). The refit starts from zero.
 *
 * <p>C is chosen by the best mean held-out score; on a tie the smaller C wins: with the data unable to tell
 * them apart, the stronger regularisation is the safer bet on unseen images. Means within {@link #TIE} count as
 * tied: the same fold scores summed in another order differ in the last bit (0.83 vs 0.8300000000000001).
 *
 * <p>The folds can run in parallel ({@link #parallelFolds}); each fold's computation is the same either way
 * and the results are gathered by fold index, so the head and table are identical. Inside a Spark task, where
 * every core already runs a task, leave it off.
 */
public final class HeadTrainer {
    /** Mean CV scores closer than this are a tie (scores are in [0, 1]). */
    static final double TIE = 1e-9;

    private final HeadSettings settings;
    private final Convergence convergence;
    private final boolean parallel;

    public HeadTrainer(HeadSettings settings) {
        this(settings, false);
    }

    private HeadTrainer(HeadSettings settings, boolean parallel) {
        this.settings = settings;
        this.convergence = Convergence.of(settings);
        this.parallel = parallel;
    }

    /** The same trainer, running the cross-validation folds on the common fork-join pool when {@code parallel}. */
    public HeadTrainer parallelFolds(boolean parallel) {
        return new HeadTrainer(settings, parallel);
    }

    public HeadSettings settings() {
        return settings;
    }

    /**
     * @param data     the training split's features and classes
     * @param positive index of the target class in {@code data.classes()}: the positive class of F1 when
     *                 {@code cvMetric} is f1 with two classes
     * @throws org.ftl.FtlError if a class has fewer images than folds
     */
    public TrainedHead train(LabelledFeatures data, int positive) {
        if (positive < 0 || positive >= data.classCount()) {
            throw new IllegalArgumentException("positive class " + positive + " is not one of " + data.classes());
        }
        int folds = settings.folds();
        StratifiedFolds.Layout layout = StratifiedFolds.layout(data.labels(), data.classes(), folds, settings.seed());
        List<Double> grid = settings.cGrid();
        try (Design design = Design.of(data, layout.order())) {
            double[][] scores = new double[folds][];
            IntStream each = IntStream.range(0, folds);
            (parallel ? each.parallel() : each).forEach(f -> scores[f] = foldScores(design, layout, f, positive));
            List<CvTable.Row> rows = new ArrayList<>();
            double chosen = grid.get(0);
            double best = Double.NEGATIVE_INFINITY;
            for (int ci = 0; ci < grid.size(); ci++) {
                double[] perFold = new double[folds];
                double sum = 0;
                for (int f = 0; f < folds; f++) {
                    perFold[f] = scores[f][ci];
                    sum += perFold[f];
                }
                double mean = sum / folds;
                rows.add(new CvTable.Row(grid.get(ci), mean, perFold));
                if (mean > best + TIE) { // clearly better: the grid ascends, so a tie keeps the smaller C
                    best = mean;
                    chosen = grid.get(ci);
                }
            }
            List<Rows> all = List.of(new Rows(0, design.size()));
            Standardization std = settings.standardize() ? Standardization.fit(design, all) : null;
            LogisticHead head = LogisticHead.fit(design, all, chosen, std, convergence, null);
            return new TrainedHead(head, new CvTable(settings.cvMetric(), rows, chosen));
        }
    }

    /** Held-out scores of fold f for every C of the grid, in grid order. */
    private double[] foldScores(Design design, StratifiedFolds.Layout layout, int f, int positive) {
        Rows heldOut = layout.heldOut(f);
        List<Rows> training = layout.training(f);
        Standardization std = settings.standardize() ? Standardization.fit(design, training) : null;
        int[] truth = Arrays.copyOfRange(design.labels(), heldOut.from(), heldOut.to());
        List<Double> grid = settings.cGrid();
        double[] scores = new double[grid.size()];
        double[] warm = null;
        for (int ci = 0; ci < grid.size(); ci++) {
            LogisticHead head = LogisticHead.fit(design, training, grid.get(ci), std, convergence, warm);
            warm = head.parameters();
            double[][] p = head.probabilities(design, heldOut);
            scores[ci] = Metrics.score(Metrics.evaluate(truth, p, positive), settings.cvMetric());
        }
        return scores;
    }
}
