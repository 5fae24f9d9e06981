package org.ftl.sweep;

import org.apache.spark.TaskContext;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many of this JVM's Spark tasks are inside the sweep's stages (prune, features, heads), which run ND4J and ONNX
 * Runtime natively. In local mode the driver is that JVM, and a failed sweep waits for them before it lets the JVM
 * exit ({@link SparkSessions#quiesce}). Counted here rather than read from Spark's status tracker, whose per-executor
 * running-task count drifts after failed and killed tasks (it said 0 with one running, after a few failed sweeps).
 */
final class ActiveTasks {
    private static final AtomicInteger ACTIVE = new AtomicInteger();

    private ActiveTasks() {
    }

    /** Counts the calling task until it completes (succeeded, failed or killed); nothing outside a task. */
    static void enter() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return;
        }
        ACTIVE.incrementAndGet();
        task.addTaskCompletionListener((TaskContext done) -> ACTIVE.decrementAndGet());
    }

    static int count() {
        return ACTIVE.get();
    }
}
