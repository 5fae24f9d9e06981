package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.DataListing;
import org.ftl.data.DecodedImages;
import org.ftl.data.ImageRef;
import org.ftl.prune.SegmentedLoader;
import org.ftl.cost.CostSettings;
import org.ftl.head.FeatureFile;
import org.ftl.head.HeadTrainer;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.Criteria;
import org.ftl.prune.FilterCriterion;
import org.ftl.prune.Folding;
import org.ftl.prune.Pruner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 15's measurement, not a test: where a head task's time goes, and the features it gets written to files so
 * that head training can be timed and compared on real features without Spark. Prunes the iou candidates named
 * in {@code ftl.bench.factors} (1.0: the baseline) of a backbone, runs each, folded as the sweep deploys it, over
 * the data's training and evaluation images the way {@link FeatureStage} does, writes
 * {@code OUT/<candidate>.features} ({@link FeatureFile}), then times {@link HeadStage#evaluate} (head, test
 * metrics, assembly and cost) and, separately, its head training alone, in process CPU time, wall time and page
 * faults. One thread, as in a Spark task.
 * {@code mvn -o test -Dtest=HeadStageBench -Dftl.bench=true -Dftl.bench.data=DATA -Dftl.bench.backbone=FILE.zip
 * -Dftl.bench.out=DIR [-Dftl.bench.factors=1.0,0.5,0.3,0.1] [-Dftl.bench.conf=demo]}
 */
class HeadStageBench {
    @Test
    void writeCandidateFeatures() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        String data = System.getProperty("ftl.bench.data");
        String backboneFile = System.getProperty("ftl.bench.backbone");
        Path out = Path.of(System.getProperty("ftl.bench.out", "target/features"));
        String profile = System.getProperty("ftl.bench.conf", "demo");
        FtlConfig config = FtlConfig.load(profile, List.of(SettingOverride.set("data.root=" + data)), Map.of());
        Configuration hadoop = new Configuration();
        DataListing listing = DataListing.scan(data, config.data().imageExtensions(), hadoop);
        List<ImageRef> refs = new ArrayList<>(listing.dataset());
        refs.addAll(listing.evaluation());
        DecodedImages images = DecodedImages.decode(refs, listing.classes(), config.input().shape(), hadoop);
        int n = images.size();
        int[] index = new int[n];
        boolean[] evaluation = new boolean[n];
        for (int i = 0; i < n; i++) {
            index[i] = i;
            evaluation[i] = images.refs().get(i).split() == ImageRef.Split.EVALUATION;
        }
        DecodedBlock block = new DecodedBlock(index, images.labels(), evaluation, images.pixels(), List.of());
        float[] pixels = FeatureStage.pixels(block, config.input().shape());

        ConvChain backbone = ConvChain.load(Path.of(backboneFile), config.input().shape());
        FilterCriterion iou = Criteria.create("iou", config.criteriaRequest());
        Pruner pruner = new Pruner(backbone, iou, SegmentedLoader.load(listing.segmented(), config.data().targetClass(),
                config.input().shape(), config.input().preprocessing(), config.prune().maskResize(), hadoop).set());
        Files.createDirectories(out);
        Map<String, VariantRecord> chains = new java.util.LinkedHashMap<>();
        Map<String, CandidateFeatures> splits = new java.util.LinkedHashMap<>();
        org.ftl.cost.Nd4jThreads.useForTask(1);
        for (String f : System.getProperty("ftl.bench.factors", "1.0,0.5,0.3,0.1").split(",")) {
            double factor = Double.parseDouble(f.trim());
            ConvChain chain = factor >= 1 ? Folding.fold(backbone) : Folding.fold(pruner.prune(factor).chain());
            String id = factor >= 1 ? "baseline-1.00" : String.format(Locale.ROOT, "iou-%.2f", factor);
            byte[] graph = org.ftl.infer.OnnxExport.features(chain.network(), config.input().shape(),
                    config.input().preprocessing(), config.features().mode());
            FeatureBlock features = FeatureStage.features(graph, block, pixels, config.input().shape(),
                    config.features().batchSize(), 1);
            CandidateFeatures split = CandidateFeatures.of(List.of(features), listing.classes());
            Path file = out.resolve(id + ".features");
            FeatureFile.write(file, split.training(), split.evaluation());
            System.out.printf(Locale.ROOT, "%s: d = %d, %d training, %d evaluation -> %s%n", id, features.dimension(),
                    split.training().size(), split.evaluation().size(), file);
            chains.put(id, new VariantRecord(new org.ftl.prune.Candidate(factor >= 1 ? "baseline" : "iou", Math.min(1, factor)),
                    null, graph, "", 0, 0, chain.parameters(), org.ftl.cost.Flops.classifier(chain.network(),
                    config.input().shape(), config.features().mode(), listing.classes().size()), null));
            splits.put(id, split);
        }
        HeadJob job = new HeadJob(config.input().shape(), config.input().preprocessing(), config.features().mode(),
                config.head(),
                config.cost(), listing.classes(), listing.classes().indexOf(config.data().targetClass()),
                config.seed());
        org.ftl.infer.OnnxModel baseline = org.ftl.infer.OnnxModel.load(HeadStage.baselineClassifier(
                org.ftl.infer.OnnxExport.features(Folding.fold(backbone).network(), config.input().shape(),
                        config.input().preprocessing(), config.features().mode()), job), 1);
        int rounds = Integer.getInteger("ftl.bench.rounds", 3);
        System.out.println("process CPU s (all threads), wall s and minor page faults; medians of " + rounds
                + " after one warm-up");
        System.out.println("candidate        d  training CPU  wall  faults  |  whole head task CPU  wall  faults");
        for (String id : chains.keySet()) {
            CandidateFeatures f = splits.get(id);
            HeadStage.evaluate(id, f, chains.get(id), baseline, job); // warm-up
            double[][] train = new double[3][rounds];
            double[][] whole = new double[3][rounds];
            for (int r = 0; r < rounds; r++) {
                double[] at = usage();
                new HeadTrainer(job.head()).train(f.training(), job.positiveClass());
                double[] mid = usage();
                HeadStage.evaluate(id, f, chains.get(id), baseline, job);
                double[] end = usage();
                for (int i = 0; i < 3; i++) {
                    train[i][r] = mid[i] - at[i];
                    whole[i][r] = end[i] - mid[i];
                }
            }
            for (int i = 0; i < 3; i++) {
                java.util.Arrays.sort(train[i]);
                java.util.Arrays.sort(whole[i]);
            }
            int m = rounds / 2;
            System.out.printf(Locale.ROOT, "%-14s %4d  %12.3f  %4.2f  %6.0f  |  %20.3f  %4.2f  %6.0f%n", id,
                    f.training().features().columns(), train[0][m], train[1][m], train[2][m], whole[0][m], whole[1][m],
                    whole[2][m]);
        }
    }

    /** Process CPU seconds, wall seconds, minor page faults so far. */
    private static double[] usage() {
        long[] stat = StageMeter.stat();
        return new double[] {((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9, System.nanoTime() / 1e9,
                stat == null ? Double.NaN : stat[0]};
    }
}
