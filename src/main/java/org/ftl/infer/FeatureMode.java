package org.ftl.infer;

import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a candidate's last map [n, C, H, W] becomes the head's features [n, d]. The deployed classifier and its
 * ONNX graph do the same inside the network, so the order of the features here is the one DL4J (and ONNX's
 * Flatten) uses there.
 */
public enum FeatureMode {
    /** Every value of the map, d = C·H·W, channel-major (c·H·W + h·W + w): DL4J's CnnToFeedForwardPreProcessor order. */
    FLATTEN,
    /** Each channel's mean over the map, d = C: global average pooling, DL4J's GlobalPoolingLayer (AVG). */
    AVERAGE;

    /** The settings' spelling: {@code flatten} or {@code average}. */
    public static FeatureMode parse(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "flatten" -> FLATTEN;
            case "average" -> AVERAGE;
            default -> throw new IllegalArgumentException("features must be flatten or average, not '" + text + "'");
        };
    }

    /** Features of a batch of maps [n, C, H, W] (NCHW), as a new array [n, d]. */
    public INDArray features(INDArray map) {
        if (map.rank() != 4) {
            throw new IllegalArgumentException("a map must be [n, C, H, W], got shape " + Arrays.toString(map.shape()));
        }
        return switch (this) {
            case FLATTEN -> map.dup('c').reshape('c', map.size(0), map.size(1) * map.size(2) * map.size(3));
            case AVERAGE -> map.mean(2, 3);
        };
    }

    /** The number of features d for a map of shape {C, H, W} (as a conv chain's output shape gives it). */
    public long features(long[] mapShape) {
        return switch (this) {
            case FLATTEN -> mapShape[0] * mapShape[1] * mapShape[2];
            case AVERAGE -> mapShape[0];
        };
    }


    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
