package org.ftl.backbone;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.DataSettings;
import org.ftl.data.InputSettings;
import org.ftl.data.DataFiles;
import org.ftl.data.DataFingerprint;
import org.ftl.data.DataListing;
import org.ftl.data.DecodedImages;
import org.ftl.data.ImageRef;
import org.ftl.data.InputShape;
import org.nd4j.linalg.api.buffer.DataType;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns {@code backbone.source} into the conv chain to prune: a built-in architecture trained on the data
 * (or found in the cache), or a model file.
 */
public final class Backbones {
    private Backbones() {
    }

    /** What a backbone source names. */
    public sealed interface Source permits Builtin, Dl4jFile, KerasFile, Vgg16Weights, OnnxFile {
        static Source parse(String spec) {
            String s = spec.trim();
            if (s.startsWith("vgg16-weights:")) {
                return new Vgg16Weights(s.substring("vgg16-weights:".length()));
            }
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.equals("alexnet") || lower.equals("vgg16")) {
                return new Builtin(Architecture.parse(lower));
            }
            if (lower.endsWith(".h5") || lower.endsWith(".hdf5") || lower.endsWith(".keras")) {
                return new KerasFile(s);
            }
            if (lower.endsWith(".zip")) {
                return new Dl4jFile(s);
            }
            if (lower.endsWith(".onnx")) {
                return new OnnxFile(s);
            }
            throw new FtlError("backbone '" + spec + "': expected alexnet, vgg16, a DL4J model (.zip), a Keras model"
                    + " (.h5), an ONNX model (.onnx) or vgg16-weights:FILE.h5");
        }
    }

    /** A built-in architecture, trained from scratch on the data. */
    public record Builtin(Architecture architecture) implements Source {
    }

    /** A DL4J model file (any Hadoop path). */
    public record Dl4jFile(String file) implements Source {
    }

    /** A Keras HDF5 model (any Hadoop path; copied to a local temporary file for the HDF5 library). */
    public record KerasFile(String file) implements Source {
    }

    /** Keras no-top weights for the built-in vgg16 (any Hadoop path, as above). */
    public record Vgg16Weights(String file) implements Source {
    }

    /** An ONNX model, e.g. torchvision's AlexNet or VGG16 exported with torch.onnx (any Hadoop path). */
    public record OnnxFile(String file) implements Source {
    }

    /** The settings resolving a backbone reads: its own section, the input, the data's root and file types, the seed. */
    public record Request(BackboneSettings backbone, InputSettings input, DataSettings data, long seed) {
    }

    /**
     * The backbone for these settings. A built-in architecture is trained on {@code listing}'s dataset/
     * unless the cache holds one for the same data and settings.
     */
    public static ConvChain resolve(Request config, DataListing listing, Configuration hadoop, Consumer<String> log) {
        return resolve(config, listing, hadoop, log, BackboneTrainer.LOCAL);
    }

    /** As above; a built-in architecture that must be trained is fitted by {@code fitter}. */
    public static ConvChain resolve(Request config, DataListing listing, Configuration hadoop, Consumer<String> log,
                                    BackboneTrainer.Fitter fitter) {
        InputShape input = config.input().shape();
        Source source = Source.parse(config.backbone().source());
        if (source instanceof Builtin b) {
            DataListing training = config.backbone().pretrains() ? pretrainingData(config, hadoop) : listing;
            return trainOrReuse(config, b.architecture(), training, hadoop, log, false, fitter).backbone();
        }
        if (config.backbone().pretrains()) {
            log.accept("backbone: backbone.pretrain.data (" + config.backbone().pretrainData() + ") is not used: "
                    + config.backbone().source() + " is a trained model already");
        }
        return load(source, input, hadoop);
    }

    /**
     * The layout a built-in architecture is trained on: backbone.pretrain.data's when it is set (a task of its
     * own: transfer), else data.root's (the sweep's own task).
     */
    public static DataListing trainingData(Request config, Configuration hadoop) {
        return config.backbone().pretrains() ? pretrainingData(config, hadoop)
                : DataListing.scan(config.data().root(), config.data().imageExtensions(), hadoop);
    }

    private static DataListing pretrainingData(Request config, Configuration hadoop) {
        String root = config.backbone().pretrainData();
        if (!DataFiles.isDirectory(root, hadoop)) {
            throw new FtlError(root + ": no such data folder (backbone.pretrain.data: the data a built-in backbone is "
                    + "pretrained on; `ftl synth --mode broad --out " + root + "` makes one)");
        }
        return DataListing.scan(root, config.data().imageExtensions(), hadoop);
    }

    /**
     * A file backbone's conv part, from any Hadoop path. The HDF5 library reads local files only, so a Keras
     * file elsewhere (HDFS, S3A) is copied to a local temporary file first; messages still name the original.
     */
    public static ConvChain load(Source source, InputShape input, Configuration hadoop) {
        if (source instanceof Builtin) {
            throw new IllegalArgumentException("a built-in architecture is trained, not loaded");
        }
        String file = source instanceof Dl4jFile f ? f.file() : source instanceof KerasFile k ? k.file()
                : source instanceof OnnxFile o ? o.file() : ((Vgg16Weights) source).file();
        if (!DataFiles.isFile(file, hadoop)) {
            throw new FtlError(file + ": no such backbone file");
        }
        Path local = null;
        try {
            if (source instanceof Dl4jFile) {
                return ConvChain.read(DataFiles.read(file, hadoop), file, input);
            }
            if (source instanceof OnnxFile) {
                return ConvChain.checked(OnnxImport.convPart(DataFiles.read(file, hadoop), file, input), input, file);
            }
            local = DataFiles.localCopy(file, hadoop);
            MultiLayerNetwork net = source instanceof Vgg16Weights
                    || KerasImport.contents(local) == KerasImport.Contents.WEIGHTS
                    ? KerasImport.importVgg16Weights(local, input)
                    : KerasImport.importModel(local, input);
            return ConvChain.checked(net, input, file);
        } catch (FtlError e) {
            String m = e.getMessage();
            if (local != null && !local.toString().equals(file) && m.contains(local.toString())) {
                throw new FtlError(m.replace(local.toString(), file), e);
            }
            throw m.contains(file) ? e : new FtlError(file + ": " + m, e);
        }
    }

    /** As below, with batch-norm after every conv or none. */
    public static ConvChain untrained(Architecture arch, double width, boolean batchNorm, InputShape input, long seed) {
        return untrained(arch, width, BatchNorm.of(batchNorm), input, seed);
    }

    /** A built-in architecture with freshly initialised (seeded) weights: for inspection and tests. */
    public static ConvChain untrained(Architecture arch, double width, BatchNorm batchNorm, InputShape input, long seed) {
        var list = new NeuralNetConfiguration.Builder().seed(seed)
                .dataType(DataType.FLOAT).list();
        arch.convLayers(width, batchNorm).forEach(list::layer);
        list.setInputType(InputType.convolutional(input.height(), input.width(),
                input.channels(), CNN2DFormat.NCHW));
        MultiLayerNetwork net;
        try {
            net = new MultiLayerNetwork(list.build());
        } catch (RuntimeException e) {
            throw new FtlError(arch.configName() + " cannot take " + input.height() + "x" + input.width()
                    + " inputs: " + e.getMessage(), e);
        }
        net.init();
        return ConvChain.of(net, input);
    }

    /** A trained backbone and where it is cached (a Hadoop path). */
    public record Resolved(ConvChain backbone, String modelFile, boolean reused) {
    }

    /** Trains the built-in architecture on the listing's dataset/, or reuses the cached result. */
    public static Resolved trainOrReuse(Request config, Architecture arch, DataListing listing, Configuration hadoop,
                                        Consumer<String> log, boolean retrain, BackboneTrainer.Fitter fitter) {
        BackboneSettings b = config.backbone();
        InputShape input = config.input().shape();
        String fingerprint = DataFingerprint.of(listing.root(), listing.dataset().stream().map(ImageRef::path).toList(), hadoop);
        String description = String.join("|", arch.configName(), "width=" + b.width(), "bn=" + cacheName(b.batchNorm()),
                "input=" + input, "pre=" + config.input().preprocessing().configName(), "train=" + b.train(),
                "seed=" + config.seed(), "classes=" + listing.classes(), "data=" + fingerprint);
        String key = BackboneCache.key(description);
        BackboneCache cache = new BackboneCache(b.cache(), hadoop);
        String name = arch.configName();
        if (!retrain) {
            var cached = cache.find(name, key, input);
            if (cached.isPresent()) {
                log.accept("backbone: reusing " + cache.modelFile(name, key) + " (same data and settings)");
                return new Resolved(cached.get(), cache.modelFile(name, key), true);
            }
        }
        log.accept("backbone: decoding " + listing.dataset().size() + " training images of " + listing.classes().size()
                + " classes" + (b.pretrains() ? " (pretraining on " + b.pretrainData() + ")" : ""));
        DecodedImages images = DecodedImages.decode(listing.dataset(), listing.classes(), input, hadoop);
        if (!images.problems().isEmpty()) {
            log.accept("backbone: " + images.problems().size() + " training image(s) could not be read and were left out"
                    + " (the first: " + images.problems().get(0) + ")");
        }
        BackboneTrainer trainer = new BackboneTrainer(arch, b.width(), b.batchNorm(), b.train(),
                config.input().preprocessing(), config.seed());
        BackboneTrainer.Trained trained = trainer.train(images, log, fitter);
        cache.store(name, key, trained.backbone(), new CachedReport(description, trained.report()));
        log.accept("backbone: saved " + cache.modelFile(name, key));
        return new Resolved(trained.backbone(), cache.modelFile(name, key), false);
    }

    /** true and false as the key said before batch-norm could be after the first conv only: old caches stay valid. */
    private static String cacheName(BatchNorm b) {
        return switch (b) {
            case EVERY -> "true";
            case NONE -> "false";
            case FIRST -> "first";
        };
    }

    /** What the cache keeps beside a trained model. */
    public record CachedReport(String key, TrainingReport training) {
    }
}
