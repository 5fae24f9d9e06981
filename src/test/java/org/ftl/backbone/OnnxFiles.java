package org.ftl.backbone;

import org.ftl.infer.OnnxGraph;
import org.ftl.infer.OnnxGraph.Attribute;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ONNX files laid out as torch.onnx writes torchvision's models (node names like {@code /features/features.0/Conv},
 * weights as initialisers, a Flatten and Gemm classifier after the conv part), with random weights, for the import
 * tests. Written with the project's own ONNX builder over ONNX's schema; nothing is downloaded.
 */
public final class OnnxFiles {
    /** One conv block of the conv part: filters, kernel, stride, padding, batch-norm, and max-pooling after it. */
    public record Block(int filters, int kernel, int stride, int padding, boolean batchNorm, int pool, int poolStride) {
    }

    /** torchvision's AlexNet conv part at a width (64, 192, 384, 256, 256 filters at width 1). */
    public static List<Block> alexnet(double width) {
        return List.of(new Block(w(64, width), 11, 4, 2, false, 3, 2), new Block(w(192, width), 5, 1, 2, false, 3, 2),
                new Block(w(384, width), 3, 1, 1, false, 0, 0), new Block(w(256, width), 3, 1, 1, false, 0, 0),
                new Block(w(256, width), 3, 1, 1, false, 3, 2));
    }

    /** torchvision's vgg16_bn conv part at a width, for inputs of at least 32 pixels. */
    public static List<Block> vgg16bn(double width) {
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        List<Block> out = new ArrayList<>();
        for (int[] b : blocks) {
            for (int c = 0; c < b.length; c++) {
                out.add(new Block(w(b[c], width), 3, 1, 1, true, c == b.length - 1 ? 2 : 0, 2));
            }
        }
        return out;
    }

    private static int w(int filters, double width) {
        return Math.max(1, (int) Math.round(filters * width));
    }

    /**
     * The model's bytes. {@code convPartOnly}: the graph ends at the conv part's flattened map (output
     * {@code features}); otherwise a classifier follows (Flatten, Gemm, Relu, Gemm to {@code classes} logits).
     * {@code extra} is a node type placed after the first conv's Relu (e.g. a residual "Add" of the value with
     * itself), to test refusals; null for none.
     */
    public static byte[] model(List<Block> blocks, int size, int channels, boolean convPartOnly, String extra, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        OnnxGraph g = new OnnxGraph("torch_jit", "input", channels, size, size);
        String x = "input";
        int in = channels;
        int h = size;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            String p = "features." + (3 * i);
            x = g.node("Conv", List.of(x, g.weight(p + ".weight", random(r, b.filters() * in * b.kernel() * b.kernel(),
                            Math.sqrt(2.0 / (in * b.kernel() * b.kernel()))), b.filters(), in, b.kernel(), b.kernel()),
                    g.weight(p + ".bias", random(r, b.filters(), 0.1), b.filters())),
                    Attribute.ints("kernel_shape", b.kernel(), b.kernel()), Attribute.ints("strides", b.stride(), b.stride()),
                    Attribute.ints("pads", b.padding(), b.padding(), b.padding(), b.padding()), Attribute.ints("dilations", 1, 1),
                    Attribute.integer("group", 1));
            h = (h + 2 * b.padding() - b.kernel()) / b.stride() + 1;
            if (b.batchNorm()) {
                float[] mean = random(r, b.filters(), 0.3);
                float[] var = new float[b.filters()];
                float[] gamma = new float[b.filters()];
                for (int c = 0; c < b.filters(); c++) {
                    var[c] = (float) (0.5 + r.nextDouble());
                    gamma[c] = (float) (0.5 + r.nextDouble());
                }
                x = g.node("BatchNormalization", List.of(x, g.weight(p + "_bn.weight", gamma, b.filters()),
                        g.weight(p + "_bn.bias", random(r, b.filters(), 0.2), b.filters()),
                        g.weight(p + "_bn.running_mean", mean, b.filters()), g.weight(p + "_bn.running_var", var, b.filters())),
                        Attribute.real("epsilon", 1e-5f));
            }
            x = g.node("Relu", List.of(x));
            if (i == 0 && extra != null) {
                x = g.node(extra, List.of(x, x));
            }
            if (b.pool() > 0) {
                x = g.node("MaxPool", List.of(x), Attribute.ints("kernel_shape", b.pool(), b.pool()),
                        Attribute.ints("strides", b.poolStride(), b.poolStride()), Attribute.ints("pads", 0, 0, 0, 0),
                        Attribute.integer("ceil_mode", 0));
                h = (h - b.pool()) / b.poolStride() + 1;
            }
            in = b.filters();
        }
        x = g.node("Flatten", List.of(x), Attribute.integer("axis", 1));
        long d = (long) in * h * h;
        if (convPartOnly) {
            g.output(x, "features", List.of(d));
        } else {
            x = g.node("Gemm", List.of(x, g.weight("classifier.1.weight", random(r, (int) (16 * d), 0.01), 16, d),
                    g.weight("classifier.1.bias", random(r, 16, 0.1), 16)), Attribute.integer("transB", 1));
            x = g.node("Relu", List.of(x));
            x = g.node("Gemm", List.of(x, g.weight("classifier.4.weight", random(r, 2 * 16, 0.1), 2, 16),
                    g.weight("classifier.4.bias", random(r, 2, 0.1), 2)), Attribute.integer("transB", 1));
            g.output(x, "output", List.of(2L));
        }
        return g.toBytes("2.1.0", "");
    }

    private static float[] random(SplittableRandom r, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
        }
        return v;
    }

    private OnnxFiles() {
    }
}
