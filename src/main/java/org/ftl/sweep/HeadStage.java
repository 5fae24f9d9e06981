package org.ftl.sweep;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.cost.Cost;
import org.ftl.cost.CostReport;
import org.ftl.head.Classifier;
import org.ftl.head.CvTable;
import org.ftl.head.Evaluation;
import org.ftl.head.HeadTrainer;
import org.ftl.head.LogisticHead;
import org.ftl.head.Metrics;
import org.ftl.head.TrainedHead;
import org.ftl.prune.ConvChain;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.Map;

/**
 * Stages 3 and 4, one task per candidate: its head (C chosen by stratified cross-validation, refit on the
 * whole training split) tested on the evaluation images, then its cost: the candidate and its head as one
 * deployable network, timed side by side with the baseline's.
 */
final class HeadStage {
    private HeadStage() {
    }

    static JavaRDD<CandidateResult> evaluate(JavaPairRDD<String, Iterable<FeatureBlock>> features,
                                             Broadcast<Map<String, byte[]>> round, Broadcast<byte[]> backbone, HeadJob job) {
        return features.map(kv -> {
            TaskThreads.apply();
            String id = kv._1();
            try {
                return evaluate(id, CandidateFeatures.of(kv._2(), job.classes()), Variants.of(round, id, job.input()),
                        Variants.deployedBackbone(backbone, job.input()), job);
            } catch (Exception | OutOfMemoryError e) {
                return CandidateResult.failed(id, e);
            }
        });
    }

    static CandidateResult evaluate(String id, CandidateFeatures f, ConvChain chain, ConvChain baseline, HeadJob job)
            throws IOException {
        TrainedHead fit = new HeadTrainer(job.head()).train(f.training(), job.positiveClass());
        LogisticHead head = fit.head();
        Evaluation e = Metrics.evaluate(f.evaluation().labels(), head.probabilities(f.evaluation().features()),
                job.positiveClass());

        MultiLayerNetwork deployable = Classifier.assemble(chain, job.features(), head, job.classes()).network();
        int baseFeatures = (int) job.features().features(baseline.outputShape());
        MultiLayerNetwork baselineDeployable = Classifier.assemble(baseline, job.features(),
                LogisticHead.zeros(baseFeatures, job.classes().size()), job.classes()).network();
        CostReport cost = Cost.measure(deployable, baselineDeployable, timingImage(job), job.latency());

        double cvScore = fit.cv().rows().stream().filter(r -> r.c() == fit.cv().chosen())
                .mapToDouble(CvTable.Row::mean).findFirst().orElse(Double.NaN);
        return new CandidateResult(id, e.accuracy(), e.precision(), e.recall(), e.f1(), e.auc(),
                Arrays.deepToString(e.confusion()), fit.cv().chosen(), cvScore, cost.flops(), cost.sizeBytes(),
                cost.latencyMs(), cost.baselineLatencyMs(), cost.latencyRatio(), cost.repetitions(),
                f.training().size(), f.evaluation().size(), serialize(head), null);
    }

    /** A fixed noise image: dense layers take as long whatever the pixels are; a seed keeps runs alike. */
    private static INDArray timingImage(HeadJob job) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(job.seed());
        float[] x = new float[job.input().channels() * job.input().height() * job.input().width()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextDouble() * 255 - 128);
        }
        return Nd4j.create(x, new long[] {1, job.input().channels(), job.input().height(), job.input().width()}, 'c');
    }

    private static byte[] serialize(LogisticHead head) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(head);
        }
        return bytes.toByteArray();
    }
}
