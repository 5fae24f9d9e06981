package org.ftl.data;

import org.apache.hadoop.conf.Configuration;

import java.util.List;
import java.util.stream.IntStream;

/**
 * Images decoded once and resized to the input, kept as bytes (a quarter of the floats' memory), with
 * each image's class index. Preprocessing is applied when a batch is made.
 */
public record DecodedImages(InputShape shape, List<String> classes, byte[][] pixels, int[] labels, List<ImageRef> refs) {

    /** Decodes on all cores; the result's order is the order of {@code refs}. */
    public static DecodedImages decode(List<ImageRef> refs, List<String> classes, InputShape shape, Configuration conf) {
        byte[][] pixels = new byte[refs.size()][];
        int[] labels = new int[refs.size()];
        IntStream.range(0, refs.size()).parallel().forEach(i -> {
            ImageRef r = refs.get(i);
            pixels[i] = ImageTensors.pixels(Images.decode(DataFiles.read(r.path(), conf), r.path()), shape);
            labels[i] = classes.indexOf(r.className());
        });
        return new DecodedImages(shape, List.copyOf(classes), pixels, labels, List.copyOf(refs));
    }

    public int size() {
        return pixels.length;
    }

    /** Images per class, in class order. */
    public int[] classCounts() {
        int[] counts = new int[classes.size()];
        for (int l : labels) {
            counts[l]++;
        }
        return counts;
    }
}
