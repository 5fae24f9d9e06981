package org.ftl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ftl decide on a hand-written metrics CSV: a table made elsewhere can be ranked too. */
class DecideCommandTest {
    private static final String CSV = String.join("\n",
            "candidate,criterion,leave_factor,filters_left,filters_ratio,params,params_ratio,flops,size_bytes,latency_ms,latency_ratio,accuracy,precision,recall,f1,auc,status",
            "baseline-1.00,baseline,1.0,100,1.0,1000,1.0,5000,4000,2.0,1.0,0.9,0.9,0.9,0.90,0.95,ok",
            "iou-0.10,iou,0.1,10,0.1,20,0.02,100,200,0.2,0.1,0.88,0.88,0.88,0.88,0.93,ok",
            "iou-0.50,iou,0.5,50,0.5,300,0.3,1500,1300,0.9,0.45,0.93,0.93,0.93,0.93,0.96,ok",
            "l1-0.10,l1,0.1,10,0.1,20,0.02,100,200,0.2,0.1,0.80,0.8,0.8,0.80,0.85,ok",
            "\"apoz-0.10\",apoz,0.1,,,,,,,,,,,,,,failed", "");

    @Test
    void ranksAsTheExpressionSays(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, CSV);
        Path out = dir.resolve("ranked.csv");
        CliTest.Run r = new CliTest.Run("decide", "--metrics", csv.toString(), "--out", out.toString());
        assertEquals(ExitCode.OK, r.code, r.err);
        String[] lines = r.out.split("\n");
        assertTrue(lines[2].contains("iou-0.10"), r.out);
        assertTrue(lines[3].contains("l1-0.10"), r.out);
        assertTrue(lines[4].contains("iou-0.50"), r.out);
        assertTrue(r.out.contains("1 failed"), r.out);
        String ranked = Files.readString(out);
        assertTrue(ranked.startsWith("candidate,criterion,leave_factor"), ranked);
        assertTrue(ranked.split("\n")[1].startsWith("iou-0.10,"), ranked);

        CliTest.Run constrained = new CliTest.Run("decide", "--metrics", csv.toString(), "--constraint",
                "f1 >= baseline_f1 - 0.01", "--top", "1");
        assertEquals(ExitCode.OK, constrained.code, constrained.err);
        assertTrue(constrained.out.split("\n")[2].contains("iou-0.50"), constrained.out);
        assertEquals(4, constrained.out.split("\n").length, constrained.out);

        CliTest.Run byParams = new CliTest.Run("decide", "--metrics", csv.toString(), "--decision", "params");
        assertTrue(byParams.out.split("\n")[2].contains("baseline-1.00"), byParams.out);
    }

    @Test
    void mistakesAreNamed(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("m.csv");
        Files.writeString(csv, "candidate,criterion\nx,y\n");
        CliTest.Run missing = new CliTest.Run("decide", "--metrics", csv.toString());
        assertEquals(ExitCode.INPUT, missing.code);
        assertTrue(missing.err.contains("missing metrics columns leave_factor"), missing.err);

        Files.writeString(csv, CSV);
        CliTest.Run bad = new CliTest.Run("decide", "--metrics", csv.toString(), "--decision", "f9 + 1");
        assertEquals(ExitCode.USAGE, bad.code);
        assertTrue(bad.err.contains("ftl.decision.score = \"f9 + 1\"") && bad.err.contains("f9"), bad.err);

        Path run = Files.createDirectories(dir.resolve("run1"));
        CliTest.Run unfinished = new CliTest.Run("decide", "--run", run.toString());
        assertEquals(ExitCode.INPUT, unfinished.code);
        assertTrue(unfinished.err.contains("unfinished run (no _SUCCESS)"), unfinished.err);

        assertEquals(ExitCode.USAGE, new CliTest.Run("decide").code, "--run or --metrics is required");
    }
}
