package org.ftl.sweep;

import org.apache.spark.api.java.JavaSparkContext;
import org.ftl.job.SparkSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** After a failed job, a sweep waits for the job's other tasks before it gives up (and its JVM exits). */
class QuiesceTest {
    /** Local mode runs the tasks in this JVM: the failing task waits until the slow one is under way. */
    private static final CountDownLatch SLOW_STARTED = new CountDownLatch(1);

    @Test
    void aFailedJobsSlowTaskIsStillRunningUntilQuiesceWaitsItOut() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(
                SparkSessions.start(new SparkSettings("local[2]", "quiesce-test", Map.of())).sparkContext());
        int before = ActiveTasks.count();
        // one partition fails, the other then spins 3 s without looking at its interruption, as a task inside a
        // native call does
        Exception failed = assertThrows(Exception.class, () -> sc.parallelize(List.of(0, 1), 2).map(i -> {
            ActiveTasks.enter();
            if (i == 0) {
                SLOW_STARTED.await(30, TimeUnit.SECONDS);
                throw new IllegalStateException("this task fails");
            }
            SLOW_STARTED.countDown();
            long end = System.nanoTime() + 3_000_000_000L;
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            return i;
        }).collect());
        assertTrue(String.valueOf(failed.getMessage()).contains("this task fails"), failed.toString());
        assertEquals(before + 1, ActiveTasks.count(), "Spark fails the job before its other task ends");
        assertEquals(before, SparkSessions.quiesce(sc.sc(), 30_000));
    }
}
