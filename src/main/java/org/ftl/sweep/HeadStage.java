package org.ftl.sweep;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.ftl.cost.Cost;
import org.ftl.cost.CostReport;
import org.ftl.head.CvTable;
import org.ftl.head.Evaluation;
import org.ftl.head.HeadTrainer;
import org.ftl.head.LogisticHead;
import org.ftl.head.Metrics;
import org.ftl.head.TrainedHead;
import org.ftl.deploy.Deployed;
import org.ftl.infer.OnnxExport;
import org.ftl.infer.OnnxModel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Stages 3 and 4, one task per candidate: its head (C chosen by stratified cross-validation, refit on the
 * whole training split) tested on the evaluation images, then its cost: its feature graph with the head on top —
 * the deployed model — timed side by side with the baseline's in ONNX Runtime.
 */
final class HeadStage {
    private HeadStage() {
    }

    static JavaRDD<CandidateResult> evaluate(JavaPairRDD<String, Iterable<FeatureBlock>> features,
                                             Broadcast<Map<String, VariantRecord>> round, Broadcast<byte[]> baseline,
                                             HeadJob job) {
        return features.map(kv -> {
            ActiveTasks.enter();
            TaskThreads.apply();
            String id = kv._1();
            try {
                // loaded once per executor: sessions can be run from several threads
                OnnxModel baselineModel = ExecutorCache.get(baseline.id(), "baseline-classifier",
                        () -> OnnxModel.load(baselineClassifier(baseline.value(), job), job.latency().threads()));
                return evaluate(id, CandidateFeatures.of(kv._2(), job.classes()), round.value().get(id), baselineModel, job);
            } catch (Exception | OutOfMemoryError e) {
                return CandidateResult.failed(id, e);
            }
        });
    }

    static CandidateResult evaluate(String id, CandidateFeatures f, VariantRecord variant, OnnxModel baselineModel, HeadJob job)
            throws IOException {
        TrainedHead fit = new HeadTrainer(job.head()).train(f.training(), job.positiveClass());
        LogisticHead head = fit.head();
        Evaluation e = Metrics.evaluate(f.evaluation().labels(), head.probabilities(f.evaluation().features()),
                job.positiveClass());

        byte[] deployed = classifier(id, variant.features(), head, job);
        CostReport cost = Cost.measure(deployed, baselineModel, variant.params(), variant.flops(), timingImage(job),
                job.latency());

        double cvScore = fit.cv().rows().stream().filter(r -> r.c() == fit.cv().chosen())
                .mapToDouble(CvTable.Row::mean).findFirst().orElse(Double.NaN);
        return new CandidateResult(id, e.accuracy(), e.precision(), e.recall(), e.f1(), e.auc(),
                Arrays.deepToString(e.confusion()), fit.cv().chosen(), cvScore, cost.flops(), cost.sizeBytes(),
                cost.latencyMs(), cost.baselineLatencyMs(), cost.latencyRatio(), cost.repetitions(),
                f.training().size(), f.evaluation().size(), serialize(head), null);
    }

    /** The deployed model: the variant's feature graph and the head on its raw features, with its metadata. */
    static byte[] classifier(String candidate, byte[] featureGraph, LogisticHead head, HeadJob job) {
        return Deployed.classifier(featureGraph, head, Deployed.metadata(candidate, job.classes(), job.input(), job.preprocessing()));
    }

    /**
     * The baseline as deployed, with a zero head of the same shape: what a dense layer costs to run does not depend
     * on its values, so it times as the baseline's real classifier would.
     */
    static byte[] baselineClassifier(byte[] featureGraph, HeadJob job) {
        int d = Math.toIntExact(OnnxExport.outputWidth(featureGraph));
        return classifier(CandidatePlan.baseline().id(), featureGraph, LogisticHead.zeros(d, job.classes().size()), job);
    }

    /** A fixed noise image of pixels 0–255: the networks take as long whatever the pixels are; a seed keeps runs alike. */
    static float[] timingImage(HeadJob job) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(job.seed());
        float[] x = new float[job.input().channels() * job.input().height() * job.input().width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.floor(r.nextDouble() * 256);
        }
        return x;
    }

    private static byte[] serialize(LogisticHead head) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(head);
        }
        return bytes.toByteArray();
    }
}
