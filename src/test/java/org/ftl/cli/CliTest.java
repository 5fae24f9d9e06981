package org.ftl.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's contract: exit codes and one-line errors. */
public class CliTest {
    /** Runs ftl in-process and keeps what it printed. */
    public static final class Run {
        public final int code;
        public final String out;
        public final String err;

        public Run(String... args) {
            StringWriter o = new StringWriter();
            StringWriter e = new StringWriter();
            code = Ftl.commandLine(new PrintWriter(o, true), new PrintWriter(e, true)).execute(args);
            out = o.toString();
            err = e.toString();
        }
    }

    @Test
    void versionNamesTheStack() {
        Run r = new Run("--version");
        assertEquals(ExitCode.OK, r.code);
        assertTrue(r.out.startsWith("ftl "), r.out);
        assertTrue(r.out.contains("Spark 3.5"), r.out);
        assertTrue(r.out.contains("Deeplearning4j 1.0.0-M2.1"), r.out);
    }

    @Test
    void helpListsCommandsAndExitCodes() {
        Run r = new Run("--help");
        assertEquals(ExitCode.OK, r.code);
        assertTrue(r.out.contains("config"), r.out);
        assertTrue(r.out.contains("Exit codes"), r.out);
    }

    /** Every command's --help formats: a bare '%' in a description makes picocli warn and print it unformatted. */
    @Test
    void everyCommandsHelpFormatsWithoutWarnings() {
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stderr = System.err;
        System.setErr(new java.io.PrintStream(captured, true));
        java.util.List<String> checked = new java.util.ArrayList<>();
        try {
            java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
            todo.add(Ftl.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter())));
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.pop();
                String usage = c.getUsageMessage();
                assertFalse(usage.contains("%n"), c.getCommandName() + ": " + usage);
                checked.add(c.getCommandName());
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(stderr);
        }
        assertFalse(captured.toString().contains("picocli WARN"), captured.toString());
        assertTrue(checked.contains("criteria") && checked.size() > 15, checked.toString());
    }

    @Test
    void noCommandIsAUsageError() {
        assertEquals(ExitCode.USAGE, new Run().code);
    }

    @Test
    void unknownOptionIsAUsageError() {
        Run r = new Run("config", "--bogus");
        assertEquals(ExitCode.USAGE, r.code);
        assertTrue(r.err.contains("--bogus"), r.err);
    }

    @Test
    void badSettingIsOneLineAndExitCode2() {
        Run r = new Run("config", "--set", "synth.count=0");
        assertEquals(ExitCode.USAGE, r.code);
        assertEquals("ftl: settings: ftl.synth.count = 0 (from --set ftl.synth.count): must be a whole number from 1 to 1000000",
                r.err.strip());
        assertFalse(r.err.contains("\tat "), "no stack trace");
    }

    @Test
    void configPrintsMergedSettings() {
        Run r = new Run("config", "--conf", "demo", "--set", "seed=9");
        assertEquals(ExitCode.OK, r.code, r.err);
        assertTrue(r.out.contains("seed=9") || r.out.contains("seed = 9"), r.out);
        assertTrue(r.out.contains("data/demo"), r.out);
        assertTrue(r.out.contains("data/demo-pretrain"), "the demo pretrains its backbone on the broad task: " + r.out);
    }
}
