package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.report.Report;
import org.ftl.runs.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code ftl report}: (re)builds a finished run's report.html from its metrics.csv and run.json. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write RUN_DIR/report.html (charts, top candidates, criteria compared, provenance) from a "
                + "finished run's metrics.csv and run.json. A sweep writes it too; this rebuilds it.")
final class ReportCommand implements Callable<Integer> {
    @Parameters(paramLabel = "RUN_DIR", description = "A finished run folder (RUNS/<run-id>, with _SUCCESS); any Hadoop path.")
    String runDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        RunFolder run = RunFolder.open(runDir, hadoop);
        if (!run.isFinished()) {
            throw new FtlError(runDir + ": an unfinished run (no " + RunFolder.SUCCESS + "); its metrics are not a result");
        }
        Report.write(run, hadoop);
        spec.commandLine().getOut().println("written: " + run.path(Report.FILE));
        return ExitCode.OK;
    }
}
