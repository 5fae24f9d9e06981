package org.ftl.cli;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.AtomicFiles;
import org.ftl.FtlError;
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

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code ftl predict}: the deployed model on images: class and probability per image. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Classify images with a sweep's winner (RUN_DIR/best): one line per image with its class and probability.")
final class PredictCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model folder: RUN_DIR/best.")
    Path model;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Images, or folders searched for images.")
    List<Path> inputs;

    @Option(names = "--csv", paramLabel = "FILE", description = "Also write path,class,probability rows to FILE.")
    Path csv;

    @Spec
    CommandSpec spec;

    @java.lang.Override
    public Integer call() {
        BestModel.Loaded loaded = BestModel.load(model);
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
        for (Path image : images(inputs)) {
            try {
                ImageTensors.write(Images.read(image), shape, pre, x, 0);
                INDArray p = classify.apply(Nd4j.create(x, new long[] {1, shape.channels(), shape.height(), shape.width()}, 'c'));
                int best = Nd4j.argMax(p, 1).getInt(0);
                String label = d.labels().get(best);
                double prob = p.getDouble(0, best);
                out.printf(Locale.ROOT, "%s\t%s\t%.4f%n", image, label, prob);
                rows.append(csvField(image.toString())).append(',').append(csvField(label)).append(',')
                        .append(String.format(Locale.ROOT, "%.6f", prob)).append('\n');
            } catch (FtlError e) {
                err.println("ftl: " + e.getMessage());
                failed++;
            }
        }
        if (csv != null) {
            AtomicFiles.write(csv, rows.toString().getBytes(StandardCharsets.UTF_8));
        }
        return failed > 0 ? ExitCode.INPUT : ExitCode.OK;
    }

    private static List<Path> images(List<Path> inputs) {
        List<Path> out = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(Files::isRegularFile).filter(ImageFolder::isImageName).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new FtlError(p + ": no such image or folder");
            }
        }
        return out;
    }

    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
