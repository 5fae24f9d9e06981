package org.ftl.sweep;

import org.ftl.runs.RunFolder;
import org.apache.hadoop.conf.Configuration;
import org.ftl.head.FitReport;
import org.ftl.head.LogisticHead;
import org.ftl.prune.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoint files: plain JSON that gives back every number bit for bit, written whole by any number of writers. */
class CheckpointsTest {
    @TempDir
    Path dir;

    static byte[] serialized(LogisticHead head) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(head);
        }
        return bytes.toByteArray();
    }

    static LogisticHead head(byte[] bytes) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
            return (LogisticHead) in.readObject();
        }
    }

    Checkpoints checkpoints() {
        RunFolder run = RunFolder.create(dir.resolve("runs").toString(), "t", new Configuration());
        return Checkpoints.of(run, new Configuration());
    }

    @Test
    void aCheckpointGivesBackTheRowAndTheHeadExactly() throws Exception {
        Candidate c = new Candidate("iou", 0.25);
        VariantRecord v = new VariantRecord(c, null, null, "3/12 5/24", 8, 36, 1234, 99, null);
        LogisticHead h = LogisticHead.ofRaw(10, new double[][] {{0.1, -1e-300, Math.PI}, {-0.1, 1e300, -Math.E}},
                new double[] {0.5, -0.5}, new FitReport(17, "converged", 0.123456789));
        CandidateResult r = new CandidateResult(c.id(), 0.9, 1.0 / 3, 0.7, 0.8, Double.NaN, "[[1, 2], [3, 4]]", 10, 0.85,
                99, 4096, 1.25, 5.5, 1.25 / 5.5, 31, 36, 12, serialized(h), null);
        Checkpoints cps = checkpoints();
        cps.write(Checkpoint.of(v, r));
        assertTrue(cps.has(c.id()));

        Map<String, Checkpoint> read = cps.read(List.of(c, new Candidate("l1", 0.5)), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(List.of(c.id()), List.copyOf(read.keySet()));
        Checkpoint cp = read.get(c.id());
        assertEquals(v, cp.variant());
        CandidateResult back = cp.result();
        assertTrue(Double.isNaN(back.auc()));
        assertEquals(r.precision(), back.precision());
        assertEquals(r.latencyRatio(), back.latencyRatio());
        assertEquals(r.confusion(), back.confusion());
        assertEquals(r.flops(), back.flops());
        LogisticHead hb = head(back.head());
        assertArrayEquals(h.rawCoefficients(), hb.rawCoefficients());
        assertArrayEquals(h.rawIntercepts(), hb.rawIntercepts());
        assertEquals(h.c(), hb.c());

        String json = Files.readString(Path.of(java.net.URI.create(cps.dir())).resolve(c.id() + ".json"));
        assertFalse(json.contains("\u00ac\u00ed"), "no Java serialisation in the file");
        assertTrue(json.contains("\"coefficients\":[[0.1,-1.0E-300,3.141592653589793]"), json);
    }

    @Test
    void failedCandidatesAreCheckpointsToo() {
        Candidate pruneFailed = new Candidate("apoz", 0.1);
        Candidate headFailed = new Candidate("l1", 0.1);
        Checkpoints cps = checkpoints();
        cps.write(Checkpoint.of(VariantRecord.failed(pruneFailed, new IllegalStateException("no filters"))));
        cps.write(Checkpoint.of(new VariantRecord(headFailed, null, null, "1/2", 1, 2, 10, 0, null),
                CandidateResult.failed(headFailed.id(), new OutOfMemoryError("heap"))));
        Map<String, Checkpoint> read = cps.read(List.of(pruneFailed, headFailed), new PrintStream(new ByteArrayOutputStream()));
        assertNull(read.get(pruneFailed.id()).result());
        assertTrue(read.get(pruneFailed.id()).variant().error().contains("no filters"));
        CandidateResult r = read.get(headFailed.id()).result();
        assertTrue(r.error().contains("heap") && r.head() == null && Double.isNaN(r.f1()), r.toString());
    }

    @Test
    void concurrentWritersOfOneCandidateLeaveOneWholeFileAndNoTemporaries() throws Exception {
        Candidate c = new Candidate("l1", 0.5);
        Checkpoints cps = checkpoints();
        IntStream.range(0, 16).parallel().forEach(i -> Checkpoints.tryWrite(cps.dir(),
                Checkpoint.of(new VariantRecord(c, null, null, "x", i, 16, i, 0, null)), new Configuration()));
        Checkpoint cp = cps.read(List.of(c), new PrintStream(new ByteArrayOutputStream())).get(c.id());
        assertEquals(cp.filtersLeft(), cp.params(), "one writer's whole file");
        try (Stream<Path> s = Files.list(Path.of(java.net.URI.create(cps.dir())))) {
            assertEquals(List.of(c.id() + ".json"), s.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void anUnreadableCheckpointIsComputedAgain() throws IOException {
        Candidate c = new Candidate("l1", 0.5);
        Checkpoints cps = checkpoints();
        Path d = Path.of(java.net.URI.create(cps.dir()));
        Files.createDirectories(d);
        Files.writeString(d.resolve(c.id() + ".json"), "{\"format\": 1, \"candidate\": ");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        assertTrue(cps.read(List.of(c), new PrintStream(console, true)).isEmpty());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("not used (computed again)"), console.toString());
    }
}
