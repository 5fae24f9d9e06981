package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.Json;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.decide.DecisionFunction;
import org.ftl.runs.RunFolder;
import org.ftl.sweep.Redecision;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ftl decide}: re-rank a finished sweep (or any metrics CSV) without recomputing anything. */
@Command(name = "decide", mixinStandardHelpOptions = true,
        description = {"Rank a metrics table with a decision function: a Spark SQL expression over its columns and "
                + "baseline_<column> (the f = 1 row's values). The largest score wins.",
                "Reads a finished run (it must have _SUCCESS) or any CSV with the standard metrics columns; "
                        + "the run itself is never modified."})
final class DecideCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    static final class Input {
        @Option(names = "--run", paramLabel = "RUN_DIR", description = "A finished run folder.")
        String run;

        @Option(names = "--metrics", paramLabel = "FILE.csv", description = "A metrics CSV with the standard columns.")
        String metrics;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    @Option(names = "--decision", paramLabel = "EXPR",
            description = "The score to maximise (default: decision.score, \"" + DecisionFunction.DEFAULT + "\").")
    String decision;

    @Option(names = "--constraint", paramLabel = "EXPR",
            description = "A condition a candidate must meet to be ranked, e.g. \"f1 >= baseline_f1 - 0.01\" (repeatable; "
                    + "replaces decision.constraints).")
    List<String> constraints = new ArrayList<>();

    @Option(names = "--top", paramLabel = "N", description = "How many to show (default: decision.top).")
    Integer top;

    @Option(names = "--out", paramLabel = "FILE.csv", description = "Also write the ranked table here.")
    String out;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<SettingOverride> o = new ArrayList<>();
        if (decision != null) {
            o.add(SettingOverride.option("decision.score", decision, "--decision"));
        }
        if (!constraints.isEmpty()) {
            o.add(SettingOverride.option("decision.constraints", Json.write(constraints).replace('\n', ' '), "--constraint"));
        }
        if (top != null) {
            o.add(SettingOverride.option("decision.top", top, "--top"));
        }
        FtlConfig c = config.load(o);
        Configuration hadoop = c.spark().hadoopConfiguration();
        String csv;
        if (input.run != null) {
            RunFolder run = RunFolder.open(input.run, hadoop);
            if (!run.isFinished()) {
                throw new FtlError(input.run + ": unfinished run (no " + RunFolder.SUCCESS + "): the sweep is still "
                        + "running, or it stopped before the end");
            }
            csv = run.path("metrics.csv");
        } else {
            csv = input.metrics;
        }
        Redecision.run(csv, c.decision(), c.spark().conf(), hadoop, out, spec.commandLine().getOut(), spec.commandLine().getErr());
        return ExitCode.OK;
    }
}
