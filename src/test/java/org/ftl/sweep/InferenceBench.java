package org.ftl.sweep;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.ftl.LocalSpark;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.FeatureMode;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.L1Criterion;
import org.ftl.prune.Pruner;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Issue 4's measurement, not a test: running V variants over the image RDD with Deeplearning4j Spark's
 * distributed inference ({@code SparkDl4jMultiLayer.feedForwardWithKey}, one Spark job per variant) against
 * the sweep's feature stage (one job: every partition runs every variant). Same decoded images, same
 * variants, same batch size. {@code mvn -o test -Dtest=InferenceBench -Dftl.bench=true}
 */
class InferenceBench {
    @Test
    void variantsTimesImages() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        InputShape shape = new InputShape(64, 64, 3);
        int images = 600;
        int partitions = 4;
        int batch = 64;
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        ConvChain backbone = Backbones.untrained(Architecture.ALEXNET, 0.5, true, shape, 1);
        Pruner pruner = new Pruner(backbone, new L1Criterion(), null);
        Map<String, byte[]> variants = new LinkedHashMap<>();
        Map<String, VariantRecord> graphs = new LinkedHashMap<>();
        for (double f = 0.1; f <= 1.0001; f += 0.1) {
            String id = String.format(Locale.ROOT, "l1-%.2f", f);
            ConvChain chain = org.ftl.prune.Folding.fold(pruner.prune(Math.min(f, 1.0)).chain());
            variants.put(id, chain.toBytes());
            graphs.put(id, new VariantRecord(new org.ftl.prune.Candidate("l1", f), null, org.ftl.infer.OnnxExport.features(
                    chain.network(), shape, Preprocessing.IMAGENET_MEAN, FeatureMode.FLATTEN), "", 0, 0, 0, 0, null));
        }
        List<String> ids = new ArrayList<>(variants.keySet());

        // the same decoded pixels for both ways
        SplittableRandom r = new SplittableRandom(3);
        List<DecodedBlock> blocks = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            int n = images / partitions;
            int[] index = new int[n];
            byte[][] px = new byte[n][];
            for (int i = 0; i < n; i++) {
                index[i] = p * n + i;
                px[i] = new byte[shape.channels() * shape.height() * shape.width()];
                for (int k = 0; k < px[i].length; k++) {
                    px[i][k] = (byte) r.nextInt(256);
                }
            }
            blocks.add(new DecodedBlock(index, new int[n], new boolean[n], px, List.of()));
        }
        JavaRDD<DecodedBlock> decoded = sc.parallelize(blocks, partitions).persist(StorageLevel.MEMORY_ONLY());
        decoded.count();

        // the sweep's way: one job, every variant over every partition
        long t0 = System.nanoTime();
        Broadcast<Map<String, VariantRecord>> round = sc.broadcast(graphs);
        long features = FeatureStage.extract(decoded, round, ids, shape, batch).count();
        double ours = (System.nanoTime() - t0) / 1e9;

        // dl4j-spark's way: images as keyed INDArrays, one feedForwardWithKey job per variant
        JavaPairRDD<Integer, INDArray> inputs = decoded.flatMapToPair(b -> {
            List<Tuple2<Integer, INDArray>> out = new ArrayList<>();
            int per = shape.channels() * shape.height() * shape.width();
            for (int i = 0; i < b.size(); i++) {
                float[] x = new float[per];
                Preprocessing.IMAGENET_MEAN.apply(b.pixels()[i], shape.channels(), x, 0);
                out.add(new Tuple2<>(b.index()[i], Nd4j.create(x, new long[] {1, shape.channels(), shape.height(), shape.width()}, 'c')));
            }
            return out.iterator();
        }).persist(StorageLevel.MEMORY_ONLY());
        inputs.count();
        t0 = System.nanoTime();
        long outputs = 0;
        for (String id : ids) {
            ConvChain chain = ConvChain.fromBytes(variants.get(id), shape);
            outputs += new SparkDl4jMultiLayer(sc, chain.network(), null).feedForwardWithKey(inputs, batch).count();
        }
        double theirs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "InferenceBench: %d variants x %d images (%d partitions, batch %d, %s): sweep feature "
                        + "stage %.2f s (%d blocks); SparkDl4jMultiLayer.feedForwardWithKey %.2f s (%d outputs); ratio %.2f%n",
                ids.size(), images, partitions, batch, sc.master(), ours, features, theirs, outputs, theirs / ours);
    }
}
