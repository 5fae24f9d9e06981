package org.ftl.cli;

import org.ftl.config.SettingOverride;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Where a sweep reads its data and writes its runs, as options standing for data.root and runs.root. */
final class RunPathOptions {
    @Mixin
    DataOption data;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where run folders go (default: runs.root).")
    String runs;

    List<SettingOverride> overrides() {
        List<SettingOverride> o = new ArrayList<>();
        data.addTo(o);
        if (runs != null) {
            o.add(SettingOverride.option("runs.root", runs, "--runs"));
        }
        return o;
    }
}
