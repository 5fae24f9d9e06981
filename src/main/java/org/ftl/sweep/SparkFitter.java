package org.ftl.sweep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.earlystopping.SparkEarlyStoppingTrainer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.ftl.backbone.BackboneTrainer;
import org.ftl.backbone.ImageBatches;
import org.nd4j.linalg.dataset.DataSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Trains a backbone across the cluster with Deeplearning4j Spark: the training batches as an RDD, each worker
 * fitting its share and the parameters averaged after every batch (ParameterAveragingTrainingMaster), with
 * the same early stopping on the driver's validation split as a local fit. The batches are made once, so
 * random flips are drawn once rather than every epoch.
 */
public final class SparkFitter implements BackboneTrainer.Fitter {
    private final JavaSparkContext sc;
    private final long seed;

    public SparkFitter(JavaSparkContext sc, long seed) {
        this.sc = sc;
        this.seed = seed;
    }

    @Override
    public String describe() {
        return "on Spark (" + sc.master() + ", " + sc.defaultParallelism() + " workers' cores, parameter averaging)";
    }

    @Override
    public EarlyStoppingResult<MultiLayerNetwork> fit(EarlyStoppingConfiguration<MultiLayerNetwork> es, MultiLayerNetwork net,
                                                      ImageBatches training, EarlyStoppingListener<MultiLayerNetwork> listener) {
        List<DataSet> batches = new ArrayList<>();
        training.reset();
        while (training.hasNext()) {
            batches.add(training.next());
        }
        JavaRDD<DataSet> rdd = sc.parallelize(batches, Math.max(1, Math.min(batches.size(), sc.defaultParallelism()))).cache();
        ParameterAveragingTrainingMaster master = new ParameterAveragingTrainingMaster.Builder(training.batch())
                .batchSizePerWorker(training.batch())
                .averagingFrequency(1)
                .workerPrefetchNumBatches(0)
                .rngSeed(seed)
                .build();
        sc.setJobGroup("backbone", "train the backbone with dl4j-spark", false);
        try {
            return new SparkEarlyStoppingTrainer(sc, master, es, net, rdd, listener).fit();
        } finally {
            rdd.unpersist(false);
        }
    }

    /**
     * The fitter the settings ask for: {@code backbone.train.distributed} = spark, or auto with a cluster
     * master, trains through dl4j-spark (starting the Spark session if needed); otherwise in this JVM.
     */
    public static BackboneTrainer.Fitter choose(org.ftl.job.FtlConfig config, JavaSparkContext running) {
        String mode = config.backbone().train().distributed();
        String master = running != null ? running.master() : config.spark().master();
        boolean spark = mode.equals("spark") || (mode.equals("auto") && isCluster(master));
        if (!spark) {
            return BackboneTrainer.LOCAL;
        }
        JavaSparkContext sc = running != null ? running
                : JavaSparkContext.fromSparkContext(SparkSessions.start(config.spark()).sparkContext());
        return new SparkFitter(sc, config.seed());
    }

    /** Whether a master URL runs tasks outside this JVM (then training is worth spreading). */
    public static boolean isCluster(String master) {
        return !master.startsWith("local");
    }
}
