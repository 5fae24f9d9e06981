package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Images decoded once and resized to the input, kept as bytes (a quarter of the floats' memory), with
 * each image's class index. Preprocessing is applied when a batch is made. Images that cannot be read are
 * left out and named in {@code problems}, as the sweep's own image stage does.
 */
public record DecodedImages(InputShape shape, List<String> classes, byte[][] pixels, int[] labels, List<ImageRef> refs,
                            List<String> problems) {

    /** Images that were all read. */
    public DecodedImages(InputShape shape, List<String> classes, byte[][] pixels, int[] labels, List<ImageRef> refs) {
        this(shape, classes, pixels, labels, refs, List.of());
    }

    /**
     * Decodes on all cores; the result keeps the order of {@code refs}, without the images that could not be
     * read (each named in {@link #problems()}). Nothing readable at all is an {@link FtlError}.
     */
    public static DecodedImages decode(List<ImageRef> refs, List<String> classes, InputShape shape, Configuration conf) {
        byte[][] all = new byte[refs.size()][];
        String[] failed = new String[refs.size()];
        IntStream.range(0, refs.size()).parallel().forEach(i -> {
            ImageRef r = refs.get(i);
            try {
                all[i] = ImageTensors.pixels(Images.decode(DataFiles.read(r.path(), conf), r.path()), shape);
            } catch (RuntimeException e) {
                String m = e.getMessage();
                failed[i] = m != null && m.contains(r.path()) ? m : r.path() + ": " + e;
            }
        });
        List<byte[]> pixels = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        List<ImageRef> kept = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < refs.size(); i++) {
            if (failed[i] != null) {
                problems.add(failed[i] + "; left out");
            } else {
                pixels.add(all[i]);
                labels.add(classes.indexOf(refs.get(i).className()));
                kept.add(refs.get(i));
            }
        }
        if (kept.isEmpty() && !refs.isEmpty()) {
            throw new FtlError("none of the " + refs.size() + " images could be read; the first: " + problems.get(0));
        }
        return new DecodedImages(shape, List.copyOf(classes), pixels.toArray(new byte[0][]),
                labels.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(kept), List.copyOf(problems));
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
