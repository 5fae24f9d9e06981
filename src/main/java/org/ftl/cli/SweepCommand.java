package org.ftl.cli;

import org.ftl.config.FtlConfig;
import org.ftl.config.Override;
import org.ftl.sweep.SweepJob;
import picocli.CommandLine.Command;
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
                "Runs in local mode with spark.master (default local[2]); under spark-submit it uses the submitted master."})
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--data", paramLabel = "DIR", description = "Data root (default: data.root; any Hadoop path).")
    String data;

    @Option(names = "--runs", paramLabel = "DIR", description = "Where run folders go (default: runs.root).")
    String runs;

    @java.lang.Override
    public Integer call() {
        FtlConfig c = config.load(paths(data, runs));
        SweepJob.Result r = new SweepJob(c, System.out).run();
        return r.failed() > 0 ? ExitCode.PARTIAL : ExitCode.OK;
    }

    static List<Override> paths(String data, String runs) {
        List<Override> o = new ArrayList<>();
        if (data != null) {
            o.add(Override.option("data.root", data, "--data"));
        }
        if (runs != null) {
            o.add(Override.option("runs.root", runs, "--runs"));
        }
        return o;
    }
}
