package org.ftl.cli;

import org.ftl.job.FtlConfig;
import org.ftl.sweep.SweepJob;
import picocli.CommandLine.Command;
import org.ftl.config.SettingOverride;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

import java.util.concurrent.Callable;

/** {@code ftl sweep}: the batch job — prune every candidate, fit heads, measure, rank, write the run. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the FTL sweep on Spark: prune the backbone for every candidate of the grid (leave factor x "
                + "criterion), extract features from the image set, fit and test a head per candidate, measure its cost, "
                + "rank with the decision function and write RUNS/<run-id>/.",
                "Runs in local mode with spark.master (default local[2]); under spark-submit it uses the submitted master.",
                "One sweep at a time per runs root (RUNS/sweep.lock); every finished run adds a row to RUNS/history.csv."})
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    RunPathOptions paths;

    @Option(names = "--resume", description = "Continue the newest unfinished run of the same settings, data and backbone "
            + "under runs.root, computing only the candidates it has no checkpoint of (sets runs.resume = true).")
    boolean resume;

    @Override
    public Integer call() {
        List<SettingOverride> overrides = new ArrayList<>(paths.overrides());
        if (resume) {
            overrides.add(SettingOverride.option("runs.resume", "true", "--resume"));
        }
        FtlConfig c = config.load(overrides);
        SweepJob.Result r = new SweepJob(c, System.out).run();
        return r.regression() ? ExitCode.REGRESSION : r.failed() > 0 ? ExitCode.PARTIAL : ExitCode.OK;
    }
}
