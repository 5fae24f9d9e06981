package org.ftl.sweep;

import org.ftl.prune.Candidate;

import java.io.Serializable;

/**
 * What the prune stage returns for one candidate: the variant as deployed (batch-norm folded) in two forms — a
 * DL4J model file's bytes ({@code model}, for best/model.zip) and its ONNX feature graph ({@code features}: the
 * preprocessing, the chain and the feature step, which the feature stage runs and the deployed model.onnx
 * extends with the head) — its filter counts, parameters and the FLOPs of its classifier; or the error that stopped
 * it ({@code model} and {@code features} are then null).
 *
 * @param params chain parameters (the metrics' {@code params}), {@code flops} the classifier's per image
 */
public record VariantRecord(Candidate candidate, byte[] model, byte[] features, String filterCounts, int filtersLeft,
                            int filtersTotal, long params, long flops, String error) implements Serializable {

    public boolean ok() {
        return error == null;
    }

    static VariantRecord failed(Candidate c, Throwable e) {
        return new VariantRecord(c, null, null, "", 0, 0, 0, 0, Errors.describe(e));
    }

    /** The same record without its networks, for the driver's bookkeeping. */
    VariantRecord withoutModel() {
        return new VariantRecord(candidate, null, null, filterCounts, filtersLeft, filtersTotal, params, flops, error);
    }

    /** The same record with only its feature graph, as a feature round broadcasts it. */
    VariantRecord featuresOnly() {
        return new VariantRecord(candidate, null, features, filterCounts, filtersLeft, filtersTotal, params, flops, error);
    }
}
