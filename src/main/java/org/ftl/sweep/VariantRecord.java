package org.ftl.sweep;

import org.ftl.prune.Candidate;

import java.io.Serializable;

/**
 * What the prune stage returns for one candidate: the variant as a DL4J model file's bytes and its
 * filter counts, or the error that stopped it ({@code model} is then null).
 */
public record VariantRecord(Candidate candidate, byte[] model, String filterCounts, int filtersLeft, int filtersTotal,
                            long params, String error) implements Serializable {

    public boolean ok() {
        return error == null;
    }

    static VariantRecord failed(Candidate c, Throwable e) {
        return new VariantRecord(c, null, "", 0, 0, 0, Errors.describe(e));
    }

    /** The same record without its model bytes, for the driver's bookkeeping. */
    VariantRecord withoutModel() {
        return new VariantRecord(candidate, null, filterCounts, filtersLeft, filtersTotal, params, error);
    }
}
