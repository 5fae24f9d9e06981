package org.ftl.sweep;

import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A progress line per sweep stage instead of Spark's log: tasks done of total, rate and ETA, printed at most
 * every few seconds and when a stage completes. Stages are told apart by the job group the driver sets; a job's
 * upstream (shuffle-map) stages can carry their own label, because the features of a round are computed as the
 * map side of the heads job and their 4 tasks would otherwise be counted, with a meaningless ETA, as "heads".
 */
final class SweepProgress extends SparkListener {
    private final PrintStream out;
    private final Map<Integer, String> stageGroup = new ConcurrentHashMap<>();
    private final Map<Integer, int[]> stageTasks = new ConcurrentHashMap<>();
    private final Map<String, long[]> groups = new ConcurrentHashMap<>(); // label → {done, total, startNanos, lastPrint}
    private final Map<String, String> upstreamLabels;
    private final Map<String, Long> stageMillis = new ConcurrentHashMap<>(); // label → wall time of its stages

    /** @param upstreamLabels job group → label for that job's stages other than its final (result) stage */
    SweepProgress(PrintStream out, Map<String, String> upstreamLabels) {
        this.out = out;
        this.upstreamLabels = Map.copyOf(upstreamLabels);
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        String group = job.properties() == null ? null : job.properties().getProperty("spark.jobGroup.id");
        if (group == null) {
            return;
        }
        int resultStage = Integer.MIN_VALUE; // the final stage has the highest id of its job
        scala.collection.Iterator<org.apache.spark.scheduler.StageInfo> it = job.stageInfos().iterator();
        while (it.hasNext()) {
            resultStage = Math.max(resultStage, it.next().stageId());
        }
        String upstream = upstreamLabels.getOrDefault(group, group);
        it = job.stageInfos().iterator();
        while (it.hasNext()) {
            int id = it.next().stageId();
            stageGroup.put(id, id == resultStage ? group : upstream);
        }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted submitted) {
        String group = stageGroup.get(submitted.stageInfo().stageId());
        if (group == null) {
            return;
        }
        long now = System.nanoTime();
        groups.compute(group, (g, v) -> {
            long[] s = v == null ? new long[] {0, 0, now, now} : v;
            s[1] += submitted.stageInfo().numTasks();
            return s;
        });
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted completed) {
        org.apache.spark.scheduler.StageInfo info = completed.stageInfo();
        String group = stageGroup.get(info.stageId());
        if (group != null && info.submissionTime().isDefined() && info.completionTime().isDefined()) {
            long ms = (Long) info.completionTime().get() - (Long) info.submissionTime().get();
            stageMillis.merge(group, ms, Long::sum);
        }
    }

    /**
     * Wall seconds of the Spark stages of each label so far (prune, decode, features, heads…), as Spark timed them:
     * the features of a round and its heads are one job, and this tells their parts apart.
     */
    Map<String, Double> stageSeconds() {
        Map<String, Double> out = new java.util.TreeMap<>();
        stageMillis.forEach((k, v) -> out.put(k, v / 1000.0));
        return out;
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd task) {
        String group = stageGroup.get(task.stageId());
        if (group == null || !"Success".equals(String.valueOf(task.reason()))) {
            return;
        }
        long[] s = groups.get(group);
        if (s == null) {
            return;
        }
        synchronized (s) {
            s[0]++;
            long now = System.nanoTime();
            boolean done = s[0] == s[1];
            if (done || now - s[3] > 5_000_000_000L) {
                s[3] = now;
                double secs = (now - s[2]) / 1e9;
                double rate = s[0] / Math.max(secs, 1e-9);
                String eta = done ? "done" : String.format(Locale.ROOT, "ETA %.0f s", (s[1] - s[0]) / Math.max(rate, 1e-9));
                out.printf(Locale.ROOT, "  %-9s %5d/%-5d tasks  %6.1f s  %.2f/s  %s%n", group, s[0], s[1], secs, rate, eta);
            }
        }
    }
}
