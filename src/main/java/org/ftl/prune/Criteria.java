package org.ftl.prune;

import org.ftl.config.FtlConfig;
import org.ftl.config.PruneSettings;

/** Makes a criterion by name from the settings. */
public final class Criteria {
    private Criteria() {
    }

    public static FilterCriterion create(String name, FtlConfig config) {
        PruneSettings p = config.prune();
        return switch (name) {
            case "iou" -> new IouCriterion(config.data().targetClass(), p.allClasses(), p.binarization(),
                    (float) p.threshold(), p.maskResize());
            case "l1" -> new L1Criterion();
            case "random" -> new RandomCriterion(config.seed());
            case "apoz" -> new ApozCriterion();
            default -> throw new IllegalArgumentException("unknown criterion " + name + ": " + PruneSettings.CRITERIA);
        };
    }
}
