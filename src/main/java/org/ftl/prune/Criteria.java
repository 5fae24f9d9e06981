package org.ftl.prune;

import org.ftl.config.FtlConfig;
import org.ftl.config.PruneSettings;

/** The criterion settings of a configuration. */
public final class Criteria {
    private Criteria() {
    }

    public static CriterionSpec spec(FtlConfig config) {
        PruneSettings p = config.prune();
        return new CriterionSpec(config.data().targetClass(), p.allClasses(), p.binarization(), (float) p.threshold(),
                p.maskResize(), config.seed(), p.keepRule());
    }

    public static FilterCriterion create(String name, FtlConfig config) {
        return spec(config).create(name);
    }
}
