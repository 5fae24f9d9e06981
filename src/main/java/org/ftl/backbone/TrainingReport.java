package org.ftl.backbone;

import java.util.List;

/**
 * How a backbone was trained: per epoch the training loss and the validation loss and accuracy, the epoch
 * kept, and why training stopped. Saved beside the cached model as its provenance.
 */
public record TrainingReport(String architecture, List<Epoch> epochs, int bestEpoch, String stopReason,
                             int trainImages, int validationImages, double seconds) {

    /** One epoch's numbers. */
    public record Epoch(int epoch, double trainLoss, double validationLoss, double validationAccuracy, double seconds) {
    }

    public Epoch best() {
        return epochs.stream().filter(e -> e.epoch() == bestEpoch).findFirst().orElse(null);
    }
}
