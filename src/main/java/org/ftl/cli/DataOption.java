package org.ftl.cli;

import org.ftl.config.SettingOverride;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --data}, the option standing for data.root, shared by the commands that read a data layout. */
final class DataOption {
    @Option(names = "--data", paramLabel = "DIR",
            description = "Data root: dataset/, evaluation/, segmented/ (default: data.root; any Hadoop path).")
    String data;

    /** Adds the override when the option was given. */
    void addTo(List<SettingOverride> overrides) {
        if (data != null) {
            overrides.add(SettingOverride.option("data.root", data, "--data"));
        }
    }
}
