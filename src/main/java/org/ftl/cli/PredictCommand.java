package org.ftl.cli;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.FtlError;
import org.ftl.data.DataFiles;
import org.ftl.data.ImageFolder;
import org.ftl.data.ImageTensors;
import org.ftl.data.Images;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.OnnxModel;
import org.ftl.sweep.BestModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ftl predict}: the deployed model on images: class and probability per image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images with a sweep's winner (RUN_DIR/best): one line per image with its class and probability.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model folder: RUN_DIR/best (any Hadoop path).")
    String model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Images, or folders searched for images (any Hadoop path).")
    List<String> inputs;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write path,class,probability rows to FILE (any Hadoop path).")
    String csv;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        BestModel.Loaded loaded = BestModel.load(model, hadoop);
        BestModel.Description d = loaded.description();
        InputShape shape = new InputShape(d.height(), d.width(), d.channels());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder rows = new StringBuilder("path,class,probability\n");
        int failed = 0;
        float[] x = new float[ImageTensors.length(shape)];
        // one image at a time, as the sweep's latency probe timed it: model.onnx in ONNX Runtime on one thread (its
        // preprocessing inside: plain pixels in); a model folder from before model.onnx existed runs model.zip in DL4J
        try (Classify classify = loaded.onnx() != null ? new OnnxClassify(loaded.onnx())
                : new Dl4jClassify(loaded.network(), Preprocessing.parse(d.preprocessing()), shape)) {
            for (String image : images(inputs, hadoop)) {
                try {
                    ImageTensors.write(Images.decode(DataFiles.read(image, hadoop), image), shape, classify.preprocessing(), x, 0);
                    float[] p = classify.probabilities(x);
                    int best = 0;
                    for (int c = 1; c < p.length; c++) {
                        best = p[c] > p[best] ? c : best;
                    }
                    String label = d.labels().get(best);
                    out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", image, label, p[best]);
                    rows.append(csvField(image)).append(',').append(csvField(label)).append(',')
                            .append(String.format(Locale.ROOT, "%.6f", p[best])).append('\n');
                } catch (FtlError e) {
                    err.println("ftl: " + e.getMessage());
                    failed++;
                }
            }
        }
        if (csv != null) {
            DataFiles.write(csv, rows.toString().getBytes(StandardCharsets.UTF_8), hadoop);
        }
        return failed > 0 ? ExitCode.INPUT : ExitCode.OK;
    }

    /** One image's class probabilities from the model of a best/ folder. */
    private interface Classify extends AutoCloseable {
        /** What the image's pixels go through before {@link #probabilities}. */
        Preprocessing preprocessing();

        float[] probabilities(float[] image);

        @Override
        void close();
    }

    /** model.onnx through ONNX Runtime on one thread: plain 0–255 pixels in. */
    private static final class OnnxClassify implements Classify {
        private final OnnxModel model;
        private final OnnxModel.Batch one;

        OnnxClassify(byte[] onnx) {
            model = OnnxModel.load(onnx, 1);
            one = model.batch(1);
        }

        @Override
        public Preprocessing preprocessing() {
            return Preprocessing.NONE;
        }

        @Override
        public float[] probabilities(float[] image) {
            one.input().put(image);
            java.nio.FloatBuffer p = one.run();
            float[] v = new float[p.remaining()];
            p.get(v);
            return v;
        }

        @Override
        public void close() {
            one.close();
            model.close();
        }
    }

    /** model.zip through DL4J, for model folders written before model.onnx: the backbone's preprocessing first. */
    private record Dl4jClassify(MultiLayerNetwork network, Preprocessing preprocessing, InputShape shape) implements Classify {
        @Override
        public float[] probabilities(float[] image) {
            INDArray x = Nd4j.create(image, new long[] {1, shape.channels(), shape.height(), shape.width()}, 'c');
            return network.output(x, false).dup('c').data().asFloat();
        }

        @Override
        public void close() {
        }
    }

    /**
     * The images named, folders searched recursively, in name order. Read through Hadoop's FileSystem, so
     * {@code hdfs://} and {@code s3a://} work; a local path is printed as it was given, without a scheme.
     */
    private static List<String> images(List<String> inputs, Configuration conf) {
        List<String> out = new ArrayList<>();
        for (String input : inputs) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(input);
            boolean bare = p.toUri().getScheme() == null;
            try {
                FileSystem fs = DataFiles.fileSystem(input, conf);
                FileStatus status = fs.getFileStatus(p);
                if (status.isFile()) {
                    out.add(input);
                    continue;
                }
                List<String> found = new ArrayList<>();
                RemoteIterator<LocatedFileStatus> files = fs.listFiles(p, true);
                String prefix = fs.makeQualified(p).toString();
                while (files.hasNext()) {
                    org.apache.hadoop.fs.Path f = files.next().getPath();
                    if (f.getName().startsWith(".") || !ImageFolder.EXTENSIONS.contains(DataFiles.extension(f.toString()))) {
                        continue;
                    }
                    String q = f.toString();
                    // keep the user's spelling of the folder: "eval/Crack/1.png", not "file:/home/…/eval/Crack/1.png"
                    found.add(bare && q.startsWith(prefix) ? DataFiles.child(input, q.substring(prefix.length()).replaceFirst("^/", ""))
                            : q);
                }
                found.sort(null);
                out.addAll(found);
            } catch (FileNotFoundException e) {
                throw new FtlError(input + ": no such image or folder");
            } catch (IOException e) {
                throw new FtlError(input + ": cannot list: " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
