package org.ftl.backbone;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The built-in backbones, as the convolutional part only (conv, batch-norm, activation, pooling): the
 * classifier on top is the trainer's, and is dropped before pruning.
 */
public enum Architecture {
    /** Krizhevsky et al. 2012: 11×11/4, 5×5, three 3×3 convs (96, 256, 384, 384, 256), 3×3/2 max-pooling. */
    ALEXNET,
    /** Simonyan &amp; Zisserman 2014, configuration D: 13 3×3 convs in 5 blocks, 2×2 max-pooling after each. */
    VGG16;

    private static final int[][] VGG16_BLOCKS = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};

    public static Architecture parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown architecture '" + name + "': alexnet or vgg16");
        }
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** As {@link #convLayers(double, BatchNorm)}: batch-norm after every conv, or none. */
    public List<Layer> convLayers(double width, boolean batchNorm) {
        return convLayers(width, BatchNorm.of(batchNorm));
    }

    /**
     * The conv-part layers. {@code width} scales every filter count (1 = the published widths; smaller
     * widths make fast test and demo backbones); {@code batchNorm} says which convs have batch-norm between
     * the conv and its ReLU.
     */
    public List<Layer> convLayers(double width, BatchNorm batchNorm) {
        List<Layer> layers = new ArrayList<>();
        switch (this) {
            case ALEXNET -> {
                conv(layers, "conv1", 11, 4, 2, scaled(96, width), batchNorm.after(0));
                pool(layers, "pool1", 3, 2);
                conv(layers, "conv2", 5, 1, 2, scaled(256, width), batchNorm.after(1));
                pool(layers, "pool2", 3, 2);
                conv(layers, "conv3", 3, 1, 1, scaled(384, width), batchNorm.after(2));
                conv(layers, "conv4", 3, 1, 1, scaled(384, width), batchNorm.after(3));
                conv(layers, "conv5", 3, 1, 1, scaled(256, width), batchNorm.after(4));
                pool(layers, "pool5", 3, 2);
            }
            case VGG16 -> {
                int index = 0;
                for (int b = 0; b < VGG16_BLOCKS.length; b++) {
                    for (int c = 0; c < VGG16_BLOCKS[b].length; c++) {
                        // Keras' names, so weight files map onto these layers by name
                        conv(layers, "block" + (b + 1) + "_conv" + (c + 1), 3, 1, 1, scaled(VGG16_BLOCKS[b][c], width),
                                batchNorm.after(index++));
                    }
                    pool(layers, "block" + (b + 1) + "_pool", 2, 2);
                }
            }
        }
        return layers;
    }

    private static int scaled(int filters, double width) {
        return Math.max(1, (int) Math.round(filters * width));
    }

    private static void conv(List<Layer> layers, String name, int kernel, int stride, int padding, int filters,
                             boolean batchNorm) {
        layers.add(new ConvolutionLayer.Builder(kernel, kernel)
                .name(name)
                .stride(stride, stride)
                .padding(padding, padding)
                .convolutionMode(ConvolutionMode.Truncate)
                .nOut(filters)
                .weightInit(WeightInit.RELU)
                .activation(batchNorm ? Activation.IDENTITY : Activation.RELU)
                .build());
        if (batchNorm) {
            layers.add(new BatchNormalization.Builder().name(name + "_bn").build());
            layers.add(new ActivationLayer.Builder().name(name + "_relu").activation(Activation.RELU).build());
        }
    }

    private static void pool(List<Layer> layers, String name, int kernel, int stride) {
        layers.add(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .name(name)
                .kernelSize(kernel, kernel)
                .stride(stride, stride)
                .convolutionMode(ConvolutionMode.Truncate)
                .build());
    }
}
