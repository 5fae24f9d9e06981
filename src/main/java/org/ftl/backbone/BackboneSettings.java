package org.ftl.backbone;

import org.ftl.config.Settings;


/**
 * {@code ftl.backbone}: what to prune, and how a built-in architecture is trained. {@code pretrainData} is the
 * data root a built-in architecture is trained on instead of data.root's (empty: data.root).
 */
public record BackboneSettings(String source, double width, BatchNorm batchNorm, String cache, String pretrainData,
                               Train train) {

    /** Whether a built-in architecture is trained on a data root of its own rather than the sweep's. */
    public boolean pretrains() {
        return !pretrainData.isBlank();
    }

    /** {@code ftl.backbone.train}. */
    public record Train(int epochs, int patience, int batchSize, double learningRate, double weightDecay,
                        double validationFraction, boolean augment, String distributed) {
    }

    public static BackboneSettings from(Settings s) {
        Train t = new Train(
                s.intIn("ftl.backbone.train.epochs", 1, 1000),
                s.intIn("ftl.backbone.train.patience", 1, 1000),
                s.intIn("ftl.backbone.train.batch-size", 1, 4096),
                s.doubleIn("ftl.backbone.train.learning-rate", 1e-6, 1),
                s.doubleIn("ftl.backbone.train.weight-decay", 0, 1),
                s.doubleIn("ftl.backbone.train.validation-fraction", 0.05, 0.5),
                s.bool("ftl.backbone.train.augment"),
                s.oneOf("ftl.backbone.train.distributed", "auto", "local", "spark"));
        return new BackboneSettings(s.nonEmpty("ftl.backbone.source"), s.doubleIn("ftl.backbone.width", 0.02, 1),
                BatchNorm.parse(s.oneOf("ftl.backbone.batch-norm", "every", "first", "none", "true", "false")),
                s.nonEmpty("ftl.backbone.cache"), s.string("ftl.backbone.pretrain.data").trim(), t);
    }
}
