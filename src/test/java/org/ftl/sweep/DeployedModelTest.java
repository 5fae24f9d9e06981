package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.backbone.KerasFiles;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.DataListing;
import org.ftl.data.ImageRef;
import org.ftl.data.ImageTensors;
import org.ftl.data.Images;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.data.synth.SynthLayoutWriter;
import org.ftl.data.tile.TileJob;
import org.ftl.deploy.CandidateExport;
import org.ftl.deploy.Deployed;
import org.ftl.head.Classifier;
import org.ftl.infer.OnnxModel;
import org.ftl.backbone.ConvChain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a sweep deploys runs on a device as it ran in the sweep: for each backbone kind, feature mode and channel count,
 * a real sweep writes best/model.onnx, ONNX Runtime loads it and its class probabilities on the evaluation images equal
 * those of the same network in DL4J (best/model.zip, which the sweep pruned and assembled) within 1e-4; so do those
 * of a candidate with one filter in every layer (f = 0.01) written by {@code ftl export}, whose refitted head gives
 * the run's F1. The images are real road-crack patches (crackforest-a, when ../shared is there) or generated ones.
 */
class DeployedModelTest {
    @TempDir
    static Path dir;

    static Path data;

    @BeforeAll
    static void data() throws IOException {
        data = dir.resolve("data");
        Path cf = org.ftl.SharedData.crackforest();
        if (cf != null) {
            // eight photos are ~280 patches: a real set, small enough for several sweeps
            Path images = Files.createDirectories(dir.resolve("cf/images"));
            Path masks = Files.createDirectories(dir.resolve("cf/masks"));
            try (Stream<Path> s = Files.list(cf.resolve("images"))) {
                for (Path p : s.sorted().limit(8).toList()) {
                    String base = p.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                    Files.copy(p, images.resolve(p.getFileName()));
                    Files.copy(cf.resolve("masks").resolve(base + ".png"), masks.resolve(base + ".png"));
                }
            }
            new TileJob(new TileJob.Settings(64, 64, 0.01, 0.25, 42, 12, "Crack", "Background", false)).run(images, masks, data);
        } else {
            FtlConfig c = FtlConfig.load(null, List.of(SettingOverride.set("synth.count=60"), SettingOverride.set("synth.size=64"),
                    SettingOverride.set("synth.segmented-count=8")), Map.of());
            new SynthLayoutWriter(c.synth(), c.seed()).write(data, false, "", done -> { });
        }
    }

    static Stream<Arguments> backbones() {
        return Stream.of(
                Arguments.of("alexnet", 64, 3, "flatten"),
                Arguments.of("alexnet", 64, 1, "average"),
                Arguments.of("vgg16", 32, 3, "average"),
                Arguments.of("vgg16", 32, 1, "flatten"),
                Arguments.of("keras", 16, 3, "flatten"));
    }

    /** An untrained backbone saved as a file (its weights do not matter here, and no training takes time). */
    private static String backbone(String kind, InputShape in) {
        Path file = dir.resolve(kind + "-" + in.height() + "-" + in.channels() + (kind.equals("keras") ? ".h5" : ".zip"));
        if (kind.equals("keras")) {
            KerasFiles.smallSequential(file, in.height(), 7);
        } else {
            ConvChain chain = Backbones.untrained(Architecture.parse(kind), 0.125, true, in, 3);
            org.ftl.infer.OnnxExportTest.withTrainedLookingBatchNorm(chain,
                    kind.equals("vgg16") ? Preprocessing.IMAGENET_CAFFE : Preprocessing.IMAGENET_MEAN, 5);
            chain.save(file);
        }
        return file.toString();
    }

    @ParameterizedTest(name = "{0} {1}px {2} channel(s), {3}")
    @MethodSource("backbones")
    void theExportedModelsGiveDl4jsProbabilities(String kind, int size, int channels, String mode) throws IOException {
        InputShape in = new InputShape(size, size, channels);
        String name = kind + size + "c" + channels + mode;
        List<SettingOverride> o = new ArrayList<>();
        for (String s : new String[] {"name=" + name, "data.root=" + data, "runs.root=" + dir.resolve("runs-" + name),
                "spark.master=local[2]", "input.size=" + size, "input.channels=" + channels,
                "input.preprocessing=" + (kind.equals("vgg16") ? "imagenet-caffe" : "imagenet-mean"),
                "features.mode=" + mode, "prune.criteria=[iou]", "prune.factors=[0.01, 0.5]",
                "head.c-grid=[0.1, 10]", "head.folds=2", "cost.warmup=1", "cost.min-repetitions=3", "cost.min-seconds=0",
                "sweep.image-partitions=2",
                // untrained backbones: a baseline F1 of 0 (one class predicted everywhere) would leave the default
                // score f1 / baseline_f1 undefined for every candidate
                "decision.score=accuracy"}) {
            o.add(SettingOverride.set(s));
        }
        o.add(SettingOverride.option("backbone.source", backbone(kind, in), "test"));
        FtlConfig c = FtlConfig.load(null, o, Map.of());
        SweepJob.Result r = new SweepJob(c, new PrintStream(new ByteArrayOutputStream())).run();
        Configuration hadoop = new Configuration();
        List<float[]> pixels = evaluationPixels(in, hadoop);
        Preprocessing pre = c.input().preprocessing();

        Path best = Path.of(java.net.URI.create(r.run().path("best")));
        MultiLayerNetwork zip = Classifier.load(best.resolve(BestModel.MODEL)).network();
        byte[] onnx = Files.readAllBytes(best.resolve(BestModel.ONNX));
        assertSameProbabilities(onnx, zip, pixels, in, pre, "best/ of " + name);
        try (OnnxModel m = OnnxModel.load(onnx, 1)) {
            assertEquals("Background\nCrack", m.metadata().get(Deployed.LABELS));
        }

        CandidateExport.Exported tiny = CandidateExport.export(r.run().path(), "iou-0.01", hadoop, line -> { });
        assertEquals(tiny.runF1(), tiny.f1(), 1e-9, "the refitted head tests as the run's did");
        assertSameProbabilities(tiny.onnx(), tiny.network(), pixels, in, pre, "ftl export iou-0.01 of " + name);
    }

    /** The evaluation images as pixels, decoded and resized as the sweep does. */
    private static List<float[]> evaluationPixels(InputShape in, Configuration hadoop) {
        DataListing listing = DataListing.scan(data.toString(), List.of("png", "jpg"), hadoop);
        List<float[]> out = new ArrayList<>();
        for (ImageRef ref : listing.evaluation().subList(0, Math.min(40, listing.evaluation().size()))) {
            byte[] px = ImageTensors.pixels(Images.decode(org.ftl.data.DataFiles.read(ref.path(), hadoop), ref.path()), in);
            float[] x = new float[px.length];
            Preprocessing.NONE.apply(px, in.channels(), x, 0);
            out.add(x);
        }
        assertTrue(out.size() >= 10, "evaluation images: " + out.size());
        return out;
    }

    /** ONNX Runtime on plain pixels against DL4J on the same pixels preprocessed, image by image. */
    private static void assertSameProbabilities(byte[] onnx, MultiLayerNetwork dl4j, List<float[]> pixels, InputShape in,
                                                Preprocessing pre, String what) {
        double worst = 0;
        try (OnnxModel m = OnnxModel.load(onnx, 1)) {
            for (float[] x : pixels) {
                float[] p = m.run(x, 1);
                byte[] bytes = new byte[x.length];
                for (int i = 0; i < x.length; i++) {
                    bytes[i] = (byte) (int) x[(i % in.channels()) * (x.length / in.channels()) + i / in.channels()];
                }
                float[] y = new float[x.length];
                pre.apply(bytes, in.channels(), y, 0);
                INDArray q = dl4j.output(Nd4j.create(y, new long[] {1, in.channels(), in.height(), in.width()}, 'c'), false);
                float[] expected = q.castTo(DataType.FLOAT).dup('c').data().asFloat();
                assertEquals(expected.length, p.length, what);
                for (int k = 0; k < p.length; k++) {
                    worst = Math.max(worst, Math.abs(expected[k] - p[k]));
                }
            }
        }
        assertTrue(worst <= 1e-4, what + ": largest probability difference " + worst);
    }
}
