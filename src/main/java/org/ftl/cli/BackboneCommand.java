package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.DataFiles;
import org.ftl.data.DataListing;
import org.ftl.data.InputShape;
import org.ftl.backbone.ConvChain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ftl backbone}: train a built-in backbone, or look inside one. */
@Command(name = "backbone", mixinStandardHelpOptions = true,
        description = "Train a built-in backbone on the data, or inspect a backbone's layers.",
        subcommands = {BackboneCommand.Train.class, BackboneCommand.Inspect.class})
final class BackboneCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a subcommand is required: train or inspect");
    }

    @Command(name = "train", mixinStandardHelpOptions = true,
            description = {"Train alexnet or vgg16 from scratch on DATA/dataset (a temporary classifier on top, Adam, "
                    + "a validation split, early stopping) and save its conv part as a DL4J model file.",
                    "DATA is any folder of classes: the sweep's own data, or a broad task to pretrain on "
                            + "(ftl synth --mode broad); backbone.source = the printed file then prunes it.",
                    "Cached: the same data and settings reuse the saved model (backbone.cache)."})
    static final class Train implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Option(names = "--arch", paramLabel = "NAME", description = "alexnet or vgg16 (default: backbone.source).")
        String arch;

        @Option(names = "--data", paramLabel = "DIR", description = "Data root with dataset/<Class>/ to train on "
                + "(setting backbone.pretrain.data; default: that setting, or data.root when it is empty).")
        String data;

        @Option(names = "--out", paramLabel = "FILE", description = "Also copy the trained model here (.zip; any Hadoop path).")
        String out;

        @Option(names = "--retrain", description = "Train even when the cache holds a model for this data and settings.")
        boolean retrain;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<SettingOverride> o = new ArrayList<>();
            if (arch != null) {
                o.add(SettingOverride.option("backbone.source", arch, "--arch"));
            }
            if (data != null) {
                o.add(SettingOverride.option("backbone.pretrain.data", data, "--data"));
            }
            FtlConfig c = config.load(o);
            Architecture a;
            try {
                a = Architecture.parse(c.backbone().source());
            } catch (IllegalArgumentException e) {
                throw new FtlError("backbone train needs a built-in architecture (alexnet or vgg16), not '"
                        + c.backbone().source() + "'");
            }
            Configuration hadoop = c.spark().hadoopConfiguration();
            DataListing listing = Backbones.trainingData(c.backboneRequest(), hadoop);
            PrintWriter err = spec.commandLine().getErr();
            Backbones.Resolved r = Backbones.trainOrReuse(c.backboneRequest(), a, listing, hadoop, err::println, retrain,
                    org.ftl.sweep.SparkFitter.choose(c, null));
            if (out != null) {
                DataFiles.write(out, r.backbone().toBytes(), hadoop);
                err.println("backbone: written to " + out);
            }
            spec.commandLine().getOut().println(r.modelFile());
            return ExitCode.OK;
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Print a backbone's conv part: layers, output shapes and exact parameter counts (a built-in architecture untrained).")
    static final class Inspect implements Callable<Integer> {
        @Mixin
        ConfigOptions config;

        @Mixin
        BackboneOption backbone;

        @Option(names = "--input-shape", paramLabel = "H,W,C", description = "Input size (default: input.size and input.channels).")
        String inputShape;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            List<SettingOverride> o = new ArrayList<>();
            backbone.addTo(o);
            FtlConfig c = config.load(o);
            InputShape shape;
            try {
                shape = inputShape != null ? InputShape.parse(inputShape) : c.input().shape();
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--input-shape: " + e.getMessage());
            }
            ConvChain chain = load(c, shape);
            print(chain, spec.commandLine().getOut());
            return ExitCode.OK;
        }

        private static ConvChain load(FtlConfig c, InputShape shape) {
            Backbones.Source s = Backbones.Source.parse(c.backbone().source());
            if (s instanceof Backbones.Builtin b) {
                return Backbones.untrained(b.architecture(), c.backbone().width(), c.backbone().batchNorm(), shape, c.seed());
            }
            return Backbones.load(s, shape, c.spark().hadoopConfiguration());
        }

        static void print(ConvChain chain, PrintWriter out) {
            MultiLayerNetwork net = chain.network();
            List<InputType> types = net.getLayerWiseConfigurations().getLayerActivationTypes(
                    InputType.convolutional(chain.input().height(), chain.input().width(), chain.input().channels(), CNN2DFormat.NCHW));
            out.printf(Locale.ROOT, "%-4s %-18s %-20s %-16s %12s%n", "#", "layer", "type", "output (CxHxW)", "parameters");
            for (int i = 0; i < net.getnLayers(); i++) {
                Layer l = net.getLayerWiseConfigurations().getConf(i).getLayer();
                InputType.InputTypeConvolutional t = (InputType.InputTypeConvolutional) types.get(i);
                out.printf(Locale.ROOT, "%-4d %-18s %-20s %-16s %,12d%n", i, l.getLayerName(), l.getClass().getSimpleName(),
                        t.getChannels() + "x" + t.getHeight() + "x" + t.getWidth(), net.getLayer(i).numParams());
            }
            long[] o = chain.outputShape();
            out.printf(Locale.ROOT, "input %s; %d conv layers, %d filters; features %d (%dx%dx%d); parameters %,d%n",
                    chain.input(), chain.blocks().size(), chain.totalFilters(), o[0] * o[1] * o[2], o[0], o[1], o[2],
                    chain.parameters());
        }
    }
}
