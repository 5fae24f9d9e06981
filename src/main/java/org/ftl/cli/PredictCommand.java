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

    @java.lang.Override
    public Integer call() {
        Configuration hadoop = new Configuration();
        BestModel.Loaded loaded = BestModel.load(model, hadoop);
        BestModel.Description d = loaded.description();
        MultiLayerNetwork net = loaded.network();
        InputShape shape = new InputShape(d.height(), d.width(), d.channels());
        Preprocessing pre = Preprocessing.parse(d.preprocessing());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StringBuilder rows = new StringBuilder("path,class,probability\n");
        int failed = 0;
        float[] x = new float[ImageTensors.length(shape)];
        // one image at a time, the way the sweep's latency probe timed it
        java.util.function.UnaryOperator<INDArray> classify = org.ftl.cost.OpProgram.perImage(net, shape.channels(),
                shape.height(), shape.width());
        for (String image : images(inputs, hadoop)) {
            try {
                ImageTensors.write(Images.decode(DataFiles.read(image, hadoop), image), shape, pre, x, 0);
                INDArray p = classify.apply(Nd4j.create(x, new long[] {1, shape.channels(), shape.height(), shape.width()}, 'c'));
                int best = Nd4j.argMax(p, 1).getInt(0);
                String label = d.labels().get(best);
                double prob = p.getDouble(0, best);
                out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", image, label, prob);
                rows.append(csvField(image)).append(',').append(csvField(label)).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", prob)).append('\n');
            } catch (FtlError e) {
                err.println("ftl: " + e.getMessage());
                failed++;
            }
        }
        if (csv != null) {
            DataFiles.write(csv, rows.toString().getBytes(StandardCharsets.UTF_8), hadoop);
        }
        return failed > 0 ? ExitCode.INPUT : ExitCode.OK;
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
