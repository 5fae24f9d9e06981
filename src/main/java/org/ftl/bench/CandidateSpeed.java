package org.ftl.bench;

import org.apache.hadoop.conf.Configuration;
import org.ftl.cost.Latency;
import org.ftl.cost.LatencyProbe;
import org.ftl.cost.CostSettings;
import org.ftl.deploy.CandidateExport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * One more candidate of the timed run against the baseline, as deployed (ONNX Runtime, batch 1, one thread): by
 * default the iou candidate of leave factor 0.1, the yardstick for a heavily pruned network. The candidate
 * is made again with {@code ftl export}'s machinery (pruned again, head refitted with the run's C).
 *
 * @param speedup baseline latency / the candidate's, median over the rounds
 */
public record CandidateSpeed(String candidate, long params, long flops, double flopsRatio, double latencyMs,
                             double baselineLatencyMs, double speedup, double target, List<double[]> rounds) {

    /** The target for f = 0.1: at least this many times faster than the baseline at batch 1. */
    public static final double TARGET = 10.0;

    /** The candidate's figures, or null when the run has no such candidate (or it failed there). */
    public static CandidateSpeed measure(RunModels models, String candidate, ModelSpeed.Settings s, Consumer<String> progress) {
        CandidateExport.Exported e;
        try {
            e = CandidateExport.export(models.run().toString(), candidate, new Configuration(), progress);
        } catch (org.ftl.FtlError missing) {
            progress.accept(candidate + ": not timed (" + missing.getMessage() + ")");
            return null;
        }
        float[] image = ModelSpeed.noise(1, models.input(), s.seed()).dup('c').data().asFloat();
        LatencyProbe probe = new LatencyProbe(new CostSettings(1, s.warmup(), s.repetitions(), s.minSeconds()));
        List<double[]> rounds = new ArrayList<>();
        for (int r = 1; r <= s.rounds(); r++) {
            progress.accept(String.format(Locale.ROOT, "round %d/%d: %s against the baseline (onnxruntime, batch 1, 1 thread)",
                    r, s.rounds(), candidate));
            Latency l = probe.compare(e.onnx(), models.baselineOnnx(), image);
            rounds.add(new double[] {l.candidateMs(), l.baselineMs()});
        }
        double ms = ModelSpeed.median(rounds.stream().mapToDouble(v -> v[0]).toArray());
        double base = ModelSpeed.median(rounds.stream().mapToDouble(v -> v[1]).toArray());
        return new CandidateSpeed(e.candidate(), e.params(), e.flops(), (double) e.flops() / models.baselineFlops(), ms, base,
                base / ms, TARGET, rounds);
    }
}
