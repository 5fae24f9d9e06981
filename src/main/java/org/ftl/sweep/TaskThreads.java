package org.ftl.sweep;

import org.apache.spark.TaskContext;
import org.ftl.cost.Nd4jThreads;

/**
 * ND4J's thread count in a Spark task: the task's share of the executor's cores ({@code spark.task.cpus},
 * 1 by default), so that two tasks on a 2-core executor do not each start 2 OpenMP and 2 OpenBLAS threads.
 * Two of ND4J's knobs are process-wide: the first running task saves the setting, the last one to finish puts it
 * back, so the JVM (in local mode also the driver's) keeps its own setting outside the sweep's tasks.
 */
final class TaskThreads {
    private static int running;
    private static Nd4jThreads.Setting saved;

    private TaskThreads() {
    }

    static void apply() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return;
        }
        synchronized (TaskThreads.class) {
            if (running++ == 0) {
                saved = Nd4jThreads.current();
            }
            Nd4jThreads.useForTask(task.cpus());
        }
        task.addTaskCompletionListener((TaskContext done) -> {
            synchronized (TaskThreads.class) {
                if (--running == 0) {
                    Nd4jThreads.restore(saved);
                }
            }
        });
    }
}
