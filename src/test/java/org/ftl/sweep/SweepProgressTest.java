package org.ftl.sweep;

import org.apache.spark.api.java.JavaSparkContext;
import org.ftl.LocalSpark;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress lines count each stage's tasks under its own label: a job's map side is not its result side. */
class SweepProgressTest {
    @Test
    void mapStagesOfAJobCarryTheirOwnLabelAndUngroupedJobsAreSilent() throws Exception {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SweepProgress progress = new SweepProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Map.of("heads", "features"));
        sc.sc().addSparkListener(progress);
        try {
            sc.parallelize(List.of(1, 2, 3), 3).count(); // no job group: not a sweep stage
            sc.setJobGroup("heads", "test", false);
            List<Tuple2<Integer, Iterable<Integer>>> grouped = sc.parallelize(List.of(1, 2, 3, 4, 5, 6), 3)
                    .mapToPair(i -> new Tuple2<>(i % 2, i)).groupByKey(2).collect();
            assertEquals(2, grouped.size());
            sc.setJobGroup("prune", "test", false);
            sc.parallelize(List.of(1, 2, 3, 4), 4).count();
            sc.sc().listenerBus().waitUntilEmpty();
        } finally {
            sc.clearJobGroup();
            sc.sc().removeSparkListener(progress);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("(?s).*features\\s+3/3\\s+tasks.*done.*"), out);
        assertTrue(out.matches("(?s).*heads\\s+2/2\\s+tasks.*done.*"), out);
        assertTrue(out.matches("(?s).*prune\\s+4/4\\s+tasks.*done.*"), out);
        // nothing for the ungrouped job (a slow machine may add a line for a stage still running)
        assertTrue(out.lines().allMatch(l -> l.matches("\\s+(features|heads|prune)\\s.*")), out);
    }
}
