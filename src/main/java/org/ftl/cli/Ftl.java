package org.ftl.cli;

import org.ftl.FtlError;
import org.ftl.OutOfResource;
import org.ftl.Versions;
import org.ftl.config.ConfigError;
import org.ftl.runs.LockHeld;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;

/** The {@code ftl} command: one entry point, one subcommand per step of the method. */
@Command(name = "ftl", mixinStandardHelpOptions = true, versionProvider = Ftl.Version.class,
        description = "Finicky Transfer Learning: prune a large CNN into a small, fast classifier for one narrow task "
                + "(cracks), choosing the variant from a sweep of leave factors.",
        subcommands = {
                DemoCommand.class,
                SweepCommand.class,
                DecideCommand.class,
                PredictCommand.class,
                ExportCommand.class,
                ReportCommand.class,
                PruneCommand.class,
                BackboneCommand.class,
                SynthCommand.class,
                LabelCommand.class,
                TileCommand.class,
                BenchCommand.class,
                ConfigCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  done", "  1  internal error (a bug; the stack trace is printed)",
                "  2  bad command line or settings, or another sweep holds the runs root's lock (nothing was done)",
                "  3  bad input: a data folder, image or model file (the message names it)",
                "  4  the sweep finished, but some candidates failed (see metrics.csv)",
                "  5  the sweep finished, but its winner is worse than the previous run's on the same data",
                "     (runs.regression-tolerance; history.csv marks it)",
                "  6  out of a resource: disk space or write permission on an output path, Java heap or native memory",
                "     (the message names the path or the limit and the setting to change; ftl sweep --resume then",
                "     finishes the run)"})
public final class Ftl implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.err);
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs one command line and returns its exit code (tests call this instead of main). */
    public static int execute(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true)).execute(args);
    }

    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Ftl());
        cl.setOut(out);
        cl.setErr(err);
        // picocli hands only exceptions to the handler below; Errors (a full disk is Hadoop's FSError, memory an
        // OutOfMemoryError) would leave execute() as a stack trace and exit 1, so they are passed on as causes
        CommandLine.IExecutionStrategy run = new CommandLine.RunLast();
        cl.setExecutionStrategy(parseResult -> {
            try {
                return run.execute(parseResult);
            } catch (Error e) {
                throw new CommandLine.ExecutionException(cl, e.toString(), e);
            }
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            Throwable failure = ex instanceof CommandLine.ExecutionException && ex.getCause() instanceof Error
                    ? ex.getCause() : ex;
            if (ex instanceof ConfigError) {
                e.println("ftl: settings: " + ex.getMessage());
                return ExitCode.USAGE;
            }
            if (ex instanceof LockHeld) {
                e.println("ftl: " + ex.getMessage());
                return ExitCode.USAGE;
            }
            if (OutOfResource.ranOut(failure).isPresent()) {
                e.println("ftl: " + OutOfResource.describe(failure));
                return ExitCode.RESOURCE;
            }
            if (ex instanceof FtlError) {
                e.println("ftl: " + ex.getMessage());
                return ExitCode.INPUT;
            }
            e.println("ftl: internal error: " + failure);
            failure.printStackTrace(e);
            return ExitCode.INTERNAL;
        });
        return cl;
    }

    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            Map<String, String> v = Versions.all();
            return new String[] {
                    "ftl " + Versions.ftl() + " (commit " + Versions.gitCommit() + ")",
                    "Spark " + v.get("spark.version") + " (Scala " + v.get("scala.version") + "), Deeplearning4j "
                            + v.get("dl4j.version") + " (dl4j-spark " + v.get("dl4j.spark.version") + "), Java "
                            + v.get("java.version")};
        }
    }
}
