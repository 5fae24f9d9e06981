package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.ftl.data.DataFiles;
import org.ftl.deploy.CandidateExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ftl export}: any candidate of a finished run as a deployable ONNX model. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a candidate of a finished run as one ONNX model (pixels 0-255 in, class probabilities out), "
                + "as the run's best/model.onnx is for the winner.",
                "The candidate is pruned again from the cached backbone with the run's settings (best/config.conf), its "
                        + "features are extracted in ONNX Runtime and its head is refitted with the C the run chose; the "
                        + "refitted head's F1 on evaluation/ is checked against the run's."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "A finished run folder (any Hadoop path).")
    String run;

    @Option(names = "--candidate", paramLabel = "ID", description = "A candidate id of the run's metrics.csv, e.g. iou-0.10 (default: the winner).")
    String candidate;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the model (any Hadoop path; default: CANDIDATE.onnx here).")
    String out;

    @Spec
    CommandSpec spec;

    /** Same data, same pruning, same C: anything more than float rounding apart means the run cannot be made again. */
    static final double F1_TOLERANCE = 1e-6;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        PrintWriter err = spec.commandLine().getErr();
        CandidateExport.Exported e = CandidateExport.export(run, candidate, hadoop, line -> err.println("  " + line));
        String file = out != null ? out : e.candidate() + ".onnx";
        DataFiles.write(file, e.onnx(), hadoop);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "%s: %,d parameters, %,d FLOPs per image, classes %s; F1 on evaluation/ %.4f (the run's %.4f)%n",
                e.candidate(), e.params(), e.flops(), e.labels(), e.f1(), e.runF1());
        o.println("written: " + file + " (" + e.onnx().length + " bytes)");
        if (Math.abs(e.f1() - e.runF1()) > F1_TOLERANCE) {
            err.printf(Locale.ROOT, "ftl: warning: the refitted head's F1 %.6f differs from the run's %.6f: the features or "
                    + "the data are not the run's exactly%n", e.f1(), e.runF1());
        }
        return ExitCode.OK;
    }
}
