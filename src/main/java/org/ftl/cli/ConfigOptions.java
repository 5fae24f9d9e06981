package org.ftl.cli;

import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options every command that reads settings shares: a profile and {@code --set} overrides. */
public final class ConfigOptions {
    @Option(names = "--conf", paramLabel = "FILE|PROFILE",
            description = "Settings file, or a profile name in conf/ (demo, cluster, nightly). Default: reference.conf alone.")
    String conf;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one setting (repeatable), e.g. --set synth.count=200; the 'ftl.' prefix is optional. "
                    + "FTL_DATA and FTL_RUNS in the environment set data.root and runs.root.")
    List<String> sets = new ArrayList<>();

    /** Loads the settings; {@code commandOptions} are the command's own options that stand for settings (they win). */
    public FtlConfig load(List<SettingOverride> commandOptions) {
        return load(conf, commandOptions);
    }

    /** As {@link #load(List)}, with a profile the command chose when none was given. */
    public FtlConfig load(String defaultProfile, List<SettingOverride> commandOptions) {
        List<SettingOverride> all = new ArrayList<>();
        sets.forEach(s -> all.add(SettingOverride.set(s)));
        all.addAll(commandOptions);
        return FtlConfig.load(conf != null ? conf : defaultProfile, all, System.getenv());
    }
}
