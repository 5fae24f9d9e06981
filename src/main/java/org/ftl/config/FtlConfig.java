package org.ftl.config;

import com.typesafe.config.Config;

/**
 * The typed, validated settings a command runs with. Built once at start-up by {@link ConfigLoader};
 * immutable afterwards. Each section documents its keys in reference.conf, where they are declared.
 */
public record FtlConfig(
        String name,
        long seed,
        DataSettings data,
        InputSettings input,
        BackboneSettings backbone,
        PruneSettings prune,
        FeatureSettings features,
        HeadSettings head,
        CostSettings cost,
        DecisionSettings decision,
        SweepSettings sweep,
        RunsSettings runs,
        SparkSettings spark,
        SynthSettings synth,
        Config source) {

    static FtlConfig from(Settings s) {
        String name = s.nonEmpty("ftl.name");
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw s.invalid("ftl.name", "must be letters, digits, '.', '_' or '-' (it is part of file names)");
        }
        return new FtlConfig(
                name,
                s.longIn("ftl.seed", Long.MIN_VALUE, Long.MAX_VALUE),
                DataSettings.from(s),
                InputSettings.from(s),
                BackboneSettings.from(s),
                PruneSettings.from(s),
                FeatureSettings.from(s),
                HeadSettings.from(s),
                CostSettings.from(s),
                DecisionSettings.from(s),
                SweepSettings.from(s),
                RunsSettings.from(s),
                SparkSettings.from(s),
                SynthSettings.from(s),
                s.raw());
    }

    /** The ftl section as HOCON text, as it was merged from every layer. */
    public String render() {
        return ConfigLoader.render(source);
    }
}
