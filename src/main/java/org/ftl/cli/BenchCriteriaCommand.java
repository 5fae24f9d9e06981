package org.ftl.cli;

import org.ftl.bench.CriteriaExperiment;
import org.ftl.config.SettingOverride;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code ftl bench criteria}: the criteria × parameter budgets over K splits, mean F1 and spread. */
@Command(name = "criteria", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compare the pruning criteria at parameter budgets over several splits: one sweep per split, its "
                + "grid cut to the leave factors nearest each budget (every criterion on the same factors), then per "
                + "criterion and budget the mean test F1 over the splits, its standard deviation and min-max.",
                "The splits are DATA/split-1 ... split-K (by-photo splits: ftl tile --seed k --out DATA/split-k; or "
                        + "ftl synth --seed k), or, when DATA is itself a data root, K sweeps of it with the seeds "
                        + "seed, seed + 1, ...; --seeds N sweeps every split N times with the seeds seed ... seed + N - 1 "
                        + "(a trained backbone's start, the head's folds, the random criterion), pooled.",
                "Prints the table and where iou loses, and writes JSON and an HTML page (F1 against %% of parameters "
                        + "with the spread). Uses the demo profile unless --conf says otherwise."})
final class BenchCriteriaCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "A folder of split-1 ... split-K data roots, or one data root.")
    String data;

    @Option(names = "--splits", required = true, paramLabel = "K", description = "How many splits (1 to 50).")
    int splits;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "1",
            description = "Sweeps per split, each with the next seed from the config's seed on (1 to 20; default: ${DEFAULT-VALUE}).")
    int seeds;

    @Option(names = "--budgets", paramLabel = "PCT", split = ",", defaultValue = "1,2,3,5,7,10,25",
            description = "%% of the backbone's parameters to keep, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Double> budgets = new ArrayList<>();

    @Option(names = "--criteria", paramLabel = "NAMES", split = ",", defaultValue = "iou,l1,random,apoz",
            description = "Criteria to compare (default: ${DEFAULT-VALUE}).")
    List<String> criteria = new ArrayList<>();

    @Option(names = "--label", paramLabel = "NAME", defaultValue = "criteria",
            description = "Names the experiment's runs and files, e.g. pretrained (default: ${DEFAULT-VALUE}).")
    String label;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench",
            description = "Where the sweeps' runs and the files go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE", description = "The JSON file (default: OUT/criteria-LABEL.json; the page beside it, .html).")
    Path json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (splits < 1 || splits > 50) {
            throw new CommandLine.ParameterException(cl, "--splits must be 1 to 50: " + splits);
        }
        if (seeds < 1 || seeds > 20) {
            throw new CommandLine.ParameterException(cl, "--seeds must be 1 to 20: " + seeds);
        }
        if (budgets.isEmpty() || budgets.stream().anyMatch(b -> b == null || !(b > 0 && b < 100))) {
            throw new CommandLine.ParameterException(cl, "--budgets: percentages above 0 and below 100, e.g. 1,2,5,10,25: " + budgets);
        }
        if (criteria.isEmpty()) {
            throw new CommandLine.ParameterException(cl, "--criteria: at least one of iou, l1, random, apoz");
        }
        if (!label.matches("[A-Za-z0-9._-]+")) {
            throw new CommandLine.ParameterException(cl, "--label: letters, digits, '.', '_' and '-' only: " + label);
        }
        CriteriaExperiment.run(new CriteriaExperiment.Options(data, splits, seeds, List.copyOf(budgets), List.copyOf(criteria), out,
                json, label), extra -> config.load("demo", new ArrayList<SettingOverride>(extra)), cl.getOut());
        return ExitCode.OK;
    }
}
