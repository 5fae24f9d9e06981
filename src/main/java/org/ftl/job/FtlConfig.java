package org.ftl.job;

import org.ftl.backbone.BackboneSettings;
import org.ftl.backbone.Backbones;
import org.ftl.config.ConfigLoader;
import org.ftl.config.SettingOverride;
import org.ftl.config.Settings;
import org.ftl.cost.CostSettings;
import org.ftl.data.DataSettings;
import org.ftl.data.InputSettings;
import org.ftl.data.synth.SynthSettings;
import org.ftl.decide.DecisionSettings;
import org.ftl.head.HeadSettings;
import org.ftl.infer.FeatureSettings;
import org.ftl.prune.Criteria;
import org.ftl.prune.PruneSettings;
import org.ftl.runs.RunsSettings;

import com.typesafe.config.Config;

import java.util.List;
import java.util.Map;

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

    /**
     * The settings from every layer: reference.conf, a profile or file, the environment, then the overrides.
     *
     * @param profile a file path, a profile name ("demo" finds conf/demo.conf or the copy shipped in the jar),
     *                or null for the defaults alone
     * @param sets    overrides in command-line order ({@code --set} flags and command options)
     * @param env     the process environment (a parameter so tests can pass their own)
     */
    public static FtlConfig load(String profile, List<SettingOverride> sets, Map<String, String> env) {
        return of(new ConfigLoader().layers(profile, sets, env));
    }

    /** Each section of merged, key-checked settings read into its package's record. */
    public static FtlConfig of(Config merged) {
        return from(new Settings(merged));
    }

    private static FtlConfig from(Settings s) {
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

    /** What {@link Backbones} reads to resolve the backbone. */
    public Backbones.Request backboneRequest() {
        return new Backbones.Request(backbone, input, data, seed);
    }

    /** What {@link Criteria} reads to make a criterion and its segmented set. */
    public Criteria.Request criteriaRequest() {
        return new Criteria.Request(prune, data, input, seed);
    }

    /** The ftl section as HOCON text, as it was merged from every layer. */
    public String render() {
        return ConfigLoader.render(source);
    }
}
