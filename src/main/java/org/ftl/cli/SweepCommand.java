package org.ftl.cli;

import org.ftl.config.FtlConfig;
import org.ftl.sweep.SweepJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code ftl sweep}: the batch job — prune every candidate, fit heads, measure, rank, write the run. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run the FTL sweep on Spark: prune the backbone for every candidate of the grid (leave factor x "
                + "criterion), extract features from the image set, fit and test a head per candidate, measure its cost, "
                + "rank with the decision function and write RUNS/<run-id>/.",
                "Runs in local mode with spark.master (default local[2]); under spark-submit it uses the submitted master."})
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    RunPathOptions paths;

    @java.lang.Override
    public Integer call() {
        FtlConfig c = config.load(paths.overrides());
        SweepJob.Result r = new SweepJob(c, System.out).run();
        return r.failed() > 0 ? ExitCode.PARTIAL : ExitCode.OK;
    }
}
