package org.ftl.sweep;

import org.ftl.head.FitReport;
import org.ftl.head.LogisticHead;
import org.ftl.prune.Candidate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * One finished candidate of a run, as plain data (a JSON file in the run's {@code checkpoints/}): what its prune
 * task and its head task gave — enough for its metrics row and, should it win, for the deployable model. Its
 * head is kept as numbers (weights on raw features); its pruned network is not kept: pruning is deterministic,
 * so a resumed run prunes the winner again. A candidate that failed is a checkpoint too, with its error.
 *
 * @param measured null when pruning failed (then {@code pruneError} says why)
 */
public record Checkpoint(int format, String candidate, String criterion, double leaveFactor, String filterCounts,
                         int filtersLeft, int filtersTotal, long params, String pruneError, Measured measured) {
    /** The version of this layout; a file of another one is not read (the candidate is computed again). */
    static final int FORMAT = 1;

    /** What the head stage measured (the fields of {@link CandidateResult}); {@code head} null when it failed. */
    public record Measured(double accuracy, double precision, double recall, double f1, double auc, String confusion,
                           double headC, double cvScore, long flops, long sizeBytes, double latencyMs,
                           double latencyBaselineMs, double latencyRatio, int latencyRepetitions, int trainImages,
                           int evaluationImages, HeadWeights head, String error) {
    }

    /** A head as numbers: W [classes][features] and b on the raw features (standardisation folded in). */
    public record HeadWeights(double c, double[][] coefficients, double[] intercepts, int iterations, String stop,
                              double objective) {
    }

    /** A candidate whose pruning failed: finished, nothing to measure. */
    static Checkpoint of(VariantRecord variant) {
        return of(variant, null);
    }

    static Checkpoint of(VariantRecord v, CandidateResult r) {
        Candidate c = v.candidate();
        Measured m = r == null ? null : new Measured(r.accuracy(), r.precision(), r.recall(), r.f1(), r.auc(),
                r.confusion(), r.headC(), r.cvScore(), r.flops(), r.sizeBytes(), r.latencyMs(), r.latencyBaselineMs(),
                r.latencyRatio(), r.latencyRepetitions(), r.trainImages(), r.evaluationImages(),
                r.head() == null ? null : weights(r.head()), r.error());
        return new Checkpoint(FORMAT, c.id(), c.criterion(), c.leaveFactor(), v.filterCounts(), v.filtersLeft(),
                v.filtersTotal(), v.params(), v.error(), m);
    }

    Candidate candidateOf() {
        return new Candidate(criterion, leaveFactor);
    }

    /** The prune stage's record, without the model. */
    VariantRecord variant() {
        return new VariantRecord(candidateOf(), null, null, filterCounts == null ? "" : filterCounts, filtersLeft,
                filtersTotal, params, measured == null ? 0 : measured.flops(), pruneError);
    }

    /** The head stage's result; null when pruning failed. */
    CandidateResult result() {
        if (measured == null) {
            return null;
        }
        Measured m = measured;
        return new CandidateResult(candidate, m.accuracy(), m.precision(), m.recall(), m.f1(), m.auc(),
                m.confusion() == null ? "" : m.confusion(), m.headC(), m.cvScore(), m.flops(), m.sizeBytes(), m.latencyMs(),
                m.latencyBaselineMs(), m.latencyRatio(), m.latencyRepetitions(), m.trainImages(), m.evaluationImages(),
                m.head() == null ? null : headBytes(m.head()), m.error());
    }

    /**
     * The head as the head stage hands it to the driver (Java serialisation in memory, as Spark's own
     * transport does; never a file).
     */
    private static byte[] headBytes(HeadWeights w) {
        LogisticHead head = LogisticHead.ofRaw(w.c(), w.coefficients(), w.intercepts(),
                new FitReport(w.iterations(), w.stop() == null ? "" : w.stop(), w.objective()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(head);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static HeadWeights weights(byte[] serialized) {
        LogisticHead head;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
            head = (LogisticHead) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read back a candidate's head", e);
        }
        FitReport f = head.report();
        return new HeadWeights(head.c(), head.rawCoefficients(), head.rawIntercepts(), f.iterations(), f.stop(),
                f.objective());
    }
}
