package org.ftl.backbone;

import org.deeplearning4j.earlystopping.EarlyStoppingConfiguration;
import org.deeplearning4j.earlystopping.EarlyStoppingResult;
import org.deeplearning4j.earlystopping.listener.EarlyStoppingListener;
import org.deeplearning4j.earlystopping.saver.InMemoryModelSaver;
import org.deeplearning4j.earlystopping.scorecalc.DataSetLossCalculator;
import org.deeplearning4j.earlystopping.termination.MaxEpochsTerminationCondition;
import org.deeplearning4j.earlystopping.termination.ScoreImprovementEpochTerminationCondition;
import org.deeplearning4j.earlystopping.trainer.EarlyStoppingTrainer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.ftl.FtlError;
import org.ftl.data.DecodedImages;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a built-in architecture from scratch on the training images: the conv part plus a temporary top
 * (global average pooling and a softmax layer), Adam, a stratified validation split and early stopping on
 * the validation loss. The top is dropped; the conv part of the best epoch is the backbone.
 */
public final class BackboneTrainer {
    private final Architecture architecture;
    private final double width;
    private final BatchNorm batchNorm;
    private final BackboneSettings.Train settings;
    private final Preprocessing preprocessing;
    private final long seed;

    public BackboneTrainer(Architecture architecture, double width, boolean batchNorm, BackboneSettings.Train settings,
                           Preprocessing preprocessing, long seed) {
        this(architecture, width, BatchNorm.of(batchNorm), settings, preprocessing, seed);
    }

    public BackboneTrainer(Architecture architecture, double width, BatchNorm batchNorm, BackboneSettings.Train settings,
                           Preprocessing preprocessing, long seed) {
        this.architecture = architecture;
        this.width = width;
        this.batchNorm = batchNorm;
        this.settings = settings;
        this.preprocessing = preprocessing;
        this.seed = seed;
    }

    /** A trained conv chain and how it was trained. */
    public record Trained(ConvChain backbone, TrainingReport report) {
    }

    /**
     * Runs the early-stopping fit: in this JVM ({@link #LOCAL}), or across a Spark cluster (the sweep
     * package's dl4j-spark fitter). Validation and early stopping are the same either way.
     */
    public interface Fitter {
        String describe();

        EarlyStoppingResult<MultiLayerNetwork> fit(EarlyStoppingConfiguration<MultiLayerNetwork> es, MultiLayerNetwork net,
                                                   ImageBatches training, EarlyStoppingListener<MultiLayerNetwork> listener);
    }

    /** One JVM: DL4J's early-stopping trainer over the batches. */
    public static final Fitter LOCAL = new Fitter() {
        @Override
        public String describe() {
            return "in this JVM";
        }

        @Override
        public EarlyStoppingResult<MultiLayerNetwork> fit(EarlyStoppingConfiguration<MultiLayerNetwork> es,
                                                          MultiLayerNetwork net, ImageBatches training,
                                                          EarlyStoppingListener<MultiLayerNetwork> listener) {
            return new EarlyStoppingTrainer(es, net, training, listener).fit();
        }
    };

    /**
     * A fitter for tools that only read trained backbones (ftl bench, ftl export): a cache miss stops with an
     * {@link FtlError} saying so and {@code why} instead of training one.
     */
    public static Fitter cacheOnly(String why) {
        return new Fitter() {
            @Override
            public String describe() {
                return "none: the backbone cache is only read";
            }

            @Override
            public EarlyStoppingResult<MultiLayerNetwork> fit(EarlyStoppingConfiguration<MultiLayerNetwork> es,
                                                              MultiLayerNetwork net, ImageBatches training,
                                                              EarlyStoppingListener<MultiLayerNetwork> listener) {
                throw new FtlError("the run's backbone is not in the backbone cache (the data or backbone.cache changed "
                        + "since the run): " + why);
            }
        };
    }

    /** The network being trained: the architecture's conv part and the temporary classifier. */
    public MultiLayerConfiguration configuration(InputShape shape, int classes) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(settings.learningRate()))
                .l2(settings.weightDecay())
                .list();
        for (Layer l : architecture.convLayers(width, batchNorm)) {
            list.layer(l);
        }
        list.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).name("train_top_pool").build());
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("train_top_softmax")
                .nOut(classes).activation(Activation.SOFTMAX).build());
        list.setInputType(InputType.convolutional(shape.height(), shape.width(), shape.channels(), CNN2DFormat.NCHW));
        try {
            return list.build();
        } catch (RuntimeException e) {
            throw new FtlError(architecture.configName() + " cannot take " + shape.height() + "x" + shape.width()
                    + " inputs (input.size): " + e.getMessage(), e);
        }
    }

    public Trained train(DecodedImages images, Consumer<String> log) {
        return train(images, log, LOCAL);
    }

    public Trained train(DecodedImages images, Consumer<String> log, Fitter fitter) {
        long start = System.nanoTime();
        int[][] split = stratifiedSplit(images.labels(), images.classes().size(), settings.validationFraction(), seed);
        int[] train = split[0];
        int[] validation = split[1];
        if (validation.length == 0 || train.length == 0) {
            throw new FtlError("too few training images (" + images.size() + ") to hold out a validation split");
        }
        MultiLayerNetwork net = OneDnnTraining.network(configuration(images.shape(), images.classes().size()));
        ImageBatches trainBatches = new ImageBatches(images, train, settings.batchSize(), preprocessing, settings.augment(), seed);
        ImageBatches validationBatches = new ImageBatches(images, validation, settings.batchSize(), preprocessing, false, seed);

        EarlyStoppingConfiguration<MultiLayerNetwork> es = new EarlyStoppingConfiguration.Builder<MultiLayerNetwork>()
                .epochTerminationConditions(new MaxEpochsTerminationCondition(settings.epochs()),
                        new ScoreImprovementEpochTerminationCondition(settings.patience()))
                .scoreCalculator(new DataSetLossCalculator(validationBatches, true))
                .evaluateEveryNEpochs(1)
                .modelSaver(new InMemoryModelSaver<>())
                .build();
        LossMeter loss = new LossMeter();
        net.setListeners(loss);
        List<TrainingReport.Epoch> epochs = new ArrayList<>();
        log.accept(String.format(Locale.ROOT, "training %s (width %.2f%s) on %d images of %d classes, validating on %d; "
                        + "%d parameters; %s%s",
                architecture.configName(), width,
                batchNorm == BatchNorm.NONE ? "" : ", batch-norm after " + (batchNorm == BatchNorm.EVERY ? "every conv" : "the first conv"),
                train.length, images.classes().size(), validation.length, net.numParams(), fitter.describe(),
                fitter == LOCAL && OneDnnTraining.available() ? ", oneDNN layers" : ""));
        EarlyStoppingListener<MultiLayerNetwork> listener = new EarlyStoppingListener<>() {
            long epochStart = System.nanoTime();

            @Override
            public void onStart(EarlyStoppingConfiguration<MultiLayerNetwork> c, MultiLayerNetwork n) {
                epochStart = System.nanoTime();
            }

            @Override
            public void onEpoch(int epoch, double validationLoss, EarlyStoppingConfiguration<MultiLayerNetwork> c,
                                MultiLayerNetwork n) {
                validationBatches.reset();
                double accuracy = n.evaluate(validationBatches).accuracy();
                validationBatches.reset();
                double secs = (System.nanoTime() - epochStart) / 1e9;
                TrainingReport.Epoch e = new TrainingReport.Epoch(epoch + 1, loss.meanAndReset(), validationLoss, accuracy, secs);
                epochs.add(e);
                log.accept(String.format(Locale.ROOT,
                        "epoch %d/%d: train loss %.4f, validation loss %.4f, validation accuracy %.3f (%.1f s)",
                        e.epoch(), settings.epochs(), e.trainLoss(), e.validationLoss(), e.validationAccuracy(), secs));
                epochStart = System.nanoTime();
            }

            @Override
            public void onCompletion(EarlyStoppingResult<MultiLayerNetwork> r) {
            }
        };
        EarlyStoppingResult<MultiLayerNetwork> result = fitter.fit(es, net, trainBatches, listener);
        MultiLayerNetwork best = result.getBestModel();
        if (best == null) {
            throw new IllegalStateException("training produced no model: " + result.getTerminationDetails());
        }
        int bestEpoch = result.getBestModelEpoch() + 1;
        String reason = result.getTerminationReason() + ": " + result.getTerminationDetails();
        TrainingReport report = new TrainingReport(architecture.configName(), List.copyOf(epochs), bestEpoch, reason,
                train.length, validation.length, (System.nanoTime() - start) / 1e9);
        TrainingReport.Epoch b = report.best();
        log.accept(String.format(Locale.ROOT, "kept epoch %d (validation loss %.4f, accuracy %.3f); stopped: %s",
                bestEpoch, b != null ? b.validationLoss() : Double.NaN, b != null ? b.validationAccuracy() : Double.NaN, reason));
        return new Trained(ConvChain.of(best, images.shape()), report);
    }

    /** Per class, a seeded shuffle, then the first ⌈fraction·n⌉ (at least one, when a class has two) held out. */
    static int[][] stratifiedSplit(int[] labels, int classes, double fraction, long seed) {
        List<Integer> train = new ArrayList<>();
        List<Integer> validation = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(seed);
        for (int c = 0; c < classes; c++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < labels.length; i++) {
                if (labels[i] == c) {
                    members.add(i);
                }
            }
            for (int i = members.size() - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                Integer t = members.get(i);
                members.set(i, members.get(j));
                members.set(j, t);
            }
            int held = members.size() < 2 ? 0 : Math.max(1, (int) Math.ceil(fraction * members.size()));
            validation.addAll(members.subList(0, held));
            train.addAll(members.subList(held, members.size()));
        }
        return new int[][] {train.stream().mapToInt(Integer::intValue).sorted().toArray(),
                validation.stream().mapToInt(Integer::intValue).sorted().toArray()};
    }

    /** Mean training loss over an epoch's iterations. */
    private static final class LossMeter extends BaseTrainingListener {
        private double sum;
        private int count;

        @Override
        public void iterationDone(Model model, int iteration, int epoch) {
            sum += model.score();
            count++;
        }

        double meanAndReset() {
            double m = count == 0 ? Double.NaN : sum / count;
            sum = 0;
            count = 0;
            return m;
        }
    }
}
