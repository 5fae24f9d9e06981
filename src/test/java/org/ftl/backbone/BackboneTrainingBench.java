package org.ftl.backbone;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * A benchmark, not a test: training steps of the demo's backbone (half-width AlexNet with batch-norm, 64x64, ten
 * classes) with its layers on oneDNN, as {@link BackboneTrainer} builds it, and on DL4J's own layers, alternating.
 * Prints wall and process CPU per training image (CPU is the steadier figure on a shared machine). Run with
 * {@code OPENBLAS_CORETYPE=SkylakeX OMP_WAIT_POLICY=PASSIVE mvn -o test -Dtest=BackboneTrainingBench -Dftl.bench=true
 * [-Dftl.bench.batch=32] [-Dftl.bench.steps=20]} (surefire's JVM gets neither variable from the launcher).
 */
class BackboneTrainingBench {
    @Test
    void trainingStepsOnOneDnnAndOnDl4jsOwnLayers() {
        Assumptions.assumeTrue(Boolean.getBoolean("ftl.bench"), "benchmark: -Dftl.bench=true");
        int batch = Integer.getInteger("ftl.bench.batch", 32);
        int steps = Integer.getInteger("ftl.bench.steps", 20);
        InputShape shape = new InputShape(64, 64, 3);
        BackboneSettings.Train t = new BackboneSettings.Train(1, 1, batch, 0.001, 1e-4, 0.2, true, "local");
        BackboneTrainer trainer = new BackboneTrainer(Architecture.ALEXNET, 0.5, true, t, Preprocessing.IMAGENET_MEAN, 42);
        MultiLayerNetwork dnn = OneDnnTraining.network(trainer.configuration(shape, 10));
        MultiLayerNetwork own = new MultiLayerNetwork(trainer.configuration(shape, 10));
        own.init();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, 3, 64, 64).muli(255).subi(120);
        INDArray y = Nd4j.zeros(DataType.FLOAT, batch, 10);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % 10, 1f);
        }
        DataSet ds = new DataSet(x, y);
        for (int i = 0; i < 3; i++) {
            dnn.fit(ds);
            own.fit(ds);
        }
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] wall = new long[2];
        long[] cpu = new long[2];
        // alternating, so a busy spell of a shared machine falls on both alike
        for (int s = 0; s < steps; s++) {
            MultiLayerNetwork[] nets = {dnn, own};
            for (int k = 0; k < 2; k++) {
                long c0 = os.getProcessCpuTime();
                long w0 = System.nanoTime();
                nets[k].fit(ds);
                wall[k] += System.nanoTime() - w0;
                cpu[k] += os.getProcessCpuTime() - c0;
            }
        }
        double images = (double) steps * batch;
        System.out.printf(Locale.ROOT, "BackboneTrainingBench: batch %d, %d steps each; oneDNN layers%s %.2f ms wall, %.2f ms CPU"
                        + " per training image; DL4J's own layers %.2f ms wall, %.2f ms CPU (OPENBLAS_CORETYPE=%s, OMP_WAIT_POLICY=%s,"
                        + " load %.1f)%n", batch, steps, OneDnnTraining.available() ? "" : " (not in this build: the same as DL4J's)",
                wall[0] / 1e6 / images, cpu[0] / 1e6 / images, wall[1] / 1e6 / images, cpu[1] / 1e6 / images,
                System.getenv("OPENBLAS_CORETYPE"), System.getenv("OMP_WAIT_POLICY"), os.getSystemLoadAverage());
    }
}
