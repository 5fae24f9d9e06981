package org.ftl.cli;

import org.ftl.config.SettingOverride;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Where a sweep reads its data and writes its runs, as options standing for data.root and runs.root. */
final class RunPathOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "Data root (default: data.root; any Hadoop path).")
    String data;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where run folders go (default: runs.root).")
    String runs;

    List<SettingOverride> overrides() {
        List<SettingOverride> o = new ArrayList<>();
        if (data != null) {
            o.add(SettingOverride.option("data.root", data, "--data"));
        }
        if (runs != null) {
            o.add(SettingOverride.option("runs.root", runs, "--runs"));
        }
        return o;
    }
}
