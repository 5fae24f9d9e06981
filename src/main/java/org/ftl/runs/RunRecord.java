package org.ftl.runs;

import org.ftl.Json;
import org.ftl.Versions;
import org.ftl.data.DataListing;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * run.json: everything needed to repeat a run and to trust its numbers — the settings as merged, the data's
 * fingerprint, library versions, host, stage timings — and every input file left out or repaired, and why.
 * {@code stageSeconds} is each stage's wall time; {@code stageUsage} adds its CPU time, peak resident set and page
 * faults ({@link StageUsage}); {@code sparkStageSeconds} is the wall time of the Spark stages of each kind (prune,
 * decode, features, heads) as Spark timed them: the features and heads of a round are one job, which
 * {@code stageSeconds} counts as one.
 * {@code resumeKey} is the run's {@link RunIdentity}; {@code resumedCandidates} how many candidates came from
 * checkpoints of an earlier, interrupted sweep of the same run (0: all computed by this one).
 */
public record RunRecord(String run, String name, String finished, String host, Map<String, String> versions,
                        String dataRoot, String dataFingerprint, List<String> classes, int trainingImages,
                        int evaluationImages, int segmentedImages, int candidates, long failedCandidates,
                        String winner, Map<String, Double> stageSeconds, Map<String, StageUsage> stageUsage,
                        Map<String, Double> sparkStageSeconds, int inputProblems, List<String> problems,
                        String config, String resumeKey, int resumedCandidates) {

    /** At most this many files left out or repaired are listed by name; the count is always exact. */
    public static final int LISTED = 1000;

    /**
     * run.json's text.
     *
     * @param name     the run's ftl.name
     * @param settings the merged settings as HOCON text
     */
    public static String of(String name, String settings, RunFolder run, String fingerprint, DataListing listing, int candidates,
                     long failed, List<String> problems, Map<String, Double> timings, Map<String, Double> sparkTimings,
                     Map<String, StageUsage> usage, String winner, String resumeKey, int resumed) {
        return Json.write(new RunRecord(run.id(), name, Instant.now().toString(), hostName(), Versions.all(),
                listing.root(), fingerprint, listing.classes(), listing.dataset().size(), listing.evaluation().size(),
                listing.segmented().size(), candidates, failed, winner, timings, usage, sparkTimings, problems.size(),
                problems.subList(0, Math.min(LISTED, problems.size())), settings,
                resumeKey, resumed));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
