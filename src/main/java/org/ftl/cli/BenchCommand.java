package org.ftl.cli;

import org.ftl.bench.Bench;
import org.ftl.bench.ModelSpeed;
import org.ftl.bench.SweepScaling;
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

/** {@code ftl bench}: how fast the sweep and its winner are on this machine, as tables and a JSON file. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = BenchCriteriaCommand.class,
        description = {"Measure on this machine, in this JVM:",
                "  1. the sweep's wall time per stage for 1, 10 and 100 candidates (N rows of metrics: the f = 1 "
                        + "baseline and N-1 iou leave factors k/N, so 100 is the grid 0.01...1.00), largest first, and cost(largest)/cost(smallest) "
                        + "against the target of 20x;",
                "  2. the winner against its baseline: latency at batch 1 on one thread, throughput at a batch on all "
                        + "threads, each pair timed alternately;",
                "  3. the GFLOP/s both achieve against ND4J's matrix product (the im2col shape of the winner's costliest "
                        + "convolution, and a square one);",
                "  4. another candidate of the run against the baseline (--candidate, default iou-0.10), made again as ftl export makes it;",
                "  5. with --shape ARCH:WIDTH:SIZE (e.g. vgg16:0.2:224): that backbone shape with untrained weights, its "
                        + "latency and the GFLOP/s of a sweep's feature stage with it.",
                "Both engines are timed in 2: ONNX Runtime (model.onnx, what the sweep and a device run) and DL4J (model.zip).",
                "Sweeps use the demo profile and data (run 'ftl demo' first) unless --conf/--data say otherwise and write "
                        + "their runs under --out. Prints tables and writes JSON (machine facts, load, git commit "
                        + "included) so that results of different commits can be compared.",
                "'ftl bench criteria' compares the pruning criteria at parameter budgets over several splits (see its --help)."})
final class BenchCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    DataOption data;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/bench",
            description = "Where the sweeps' runs and the JSON go (default: ${DEFAULT-VALUE}; never the profile's runs.root).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE",
            description = "The JSON file (default: OUT/bench-<UTC time>-<git commit>.json).")
    Path json;

    @Option(names = "--candidates", paramLabel = "N", split = ",", defaultValue = "1,10,100",
            description = "Candidate counts of the sweeps, comma-separated (default: ${DEFAULT-VALUE}; the demo profile is the default --conf here).")
    List<Integer> candidates = new ArrayList<>();

    @Option(names = "--skip-sweeps", description = "Time no sweep; measure the winner of --run only.")
    boolean skipSweeps;

    @Option(names = "--run", paramLabel = "RUN_DIR",
            description = "A finished run whose best/ model and baseline are timed (default: the largest sweep just run).")
    Path run;

    @Option(names = "--candidate", paramLabel = "ID", defaultValue = "iou-0.10",
            description = "A candidate of the timed run to time against the baseline as well (default: ${DEFAULT-VALUE}; 'none' for none).")
    String candidate;

    @Option(names = "--shape", paramLabel = "ARCH:WIDTH:SIZE",
            description = "Also measure a backbone of this shape with untrained weights, e.g. vgg16:0.2:224: its latency and a sweep's feature stage with it.")
    String shape;

    @Option(names = "--rounds", defaultValue = "3",
            description = "Rounds of the model measurements, interleaved; figures are medians over them (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--repetitions", defaultValue = "30",
            description = "Timed runs of each network or product per pair and round, at least (default: ${DEFAULT-VALUE}).")
    int repetitions;

    @Option(names = "--min-seconds", defaultValue = "1.0",
            description = "And time each pair at least this long per round (default: ${DEFAULT-VALUE}).")
    double minSeconds;

    @Option(names = "--warmup", defaultValue = "5",
            description = "Untimed runs of each before every pair (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--batch", defaultValue = "32", description = "Images per pass for throughput (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--threads", description = "Threads for throughput and the all-core product (default: all cores ND4J can use).")
    Integer threads;

    @Option(names = "--gemm-size", defaultValue = "512",
            description = "n of the square n x n x n matrix product (default: ${DEFAULT-VALUE}).")
    int gemmSize;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        if (skipSweeps && run == null) {
            throw new CommandLine.ParameterException(cl, "--skip-sweeps needs --run RUN_DIR: the run whose models are timed");
        }
        if (!skipSweeps && (candidates.isEmpty() || candidates.stream().anyMatch(n -> n == null || n < 1 || n > SweepScaling.MAX_CANDIDATES))) {
            throw new CommandLine.ParameterException(cl, "--candidates: counts from 1 to " + SweepScaling.MAX_CANDIDATES
                    + " (the baseline and leave factors 0.01 apart), e.g. 1,10,100: " + candidates);
        }
        int all = ModelSpeed.allThreads();
        int t = threads == null ? all : threads;
        if (t < 1 || t > all) {
            throw new CommandLine.ParameterException(cl, "--threads: 1 to " + all + " (the threads ND4J can use here): " + t);
        }
        if (rounds < 1 || repetitions < 1 || warmup < 0 || !(minSeconds >= 0) || batch < 1 || batch > 4096
                || gemmSize < 1 || gemmSize > 8192) {
            throw new CommandLine.ParameterException(cl, "--rounds, --repetitions, --batch (to 4096) and --gemm-size "
                    + "(to 8192) must be at least 1, --warmup and --min-seconds at least 0");
        }
        List<SettingOverride> paths = new ArrayList<>();
        data.addTo(paths);
        ModelSpeed.Settings speed = new ModelSpeed.Settings(rounds, warmup, repetitions, minSeconds, batch, t, gemmSize, 42);
        Bench.run(new Bench.Options(List.copyOf(candidates), skipSweeps, run, out, json, speed,
                "none".equals(candidate) ? null : candidate, shape), extra -> {
            List<SettingOverride> all2 = new ArrayList<>(paths);
            all2.addAll(extra);
            return config.load("demo", all2);
        }, cl.getOut());
        return ExitCode.OK;
    }
}
