package org.ftl.sweep;

import org.apache.spark.TaskContext;
import org.ftl.cost.Nd4jThreads;

/**
 * ND4J's thread count in a Spark task: the task's share of the executor's cores ({@code spark.task.cpus},
 * 1 by default), so that two tasks on a 2-core executor do not each start 2 OpenMP and 2 OpenBLAS threads.
 */
final class TaskThreads {
    private TaskThreads() {
    }

    static void apply() {
        TaskContext task = TaskContext.get();
        if (task != null) {
            Nd4jThreads.useForTask(task.cpus());
        }
    }
}
