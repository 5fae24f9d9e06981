package org.ftl.prune;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.data.DataFiles;
import org.ftl.data.ImageTensors;
import org.ftl.data.Images;
import org.ftl.data.InputShape;
import org.ftl.data.MaskObject;
import org.ftl.data.Preprocessing;
import org.ftl.data.SegmentedPair;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the segmented pairs of a data listing into a {@link SegmentedSet} at the network's input size.
 * One bad pair never stops the work: an image or mask that cannot be read is left out, and a mask that can
 * be used with care is used with a warning. Either way it is named in {@link Loaded#problems()}:
 * <ul>
 *   <li>a mask of another size than its image: resized to the image (nearest neighbour), warned;</li>
 *   <li>a mask with more than two grey levels, read by brightness or as non-zero: warned (label lists expect
 *       several levels);</li>
 *   <li>an empty mask, or one covering the whole image: kept (it scores every filter alike), warned.</li>
 * </ul>
 * What is object in a mask is the {@link MaskObject} rule's; a label map that rule would read with labels lost
 * is not a bad file but a wrong setting for the data, and stops the load naming both.
 */
public final class SegmentedLoader {
    private SegmentedLoader() {
    }

    /** The set, and what was left out or repaired, one line per file. */
    public record Loaded(SegmentedSet set, List<String> problems) {
    }

    /**
     * @param requiredClass a class the set must hold at least one usable pair of (the target class, for criteria
     *                      that score masks), or null
     */
    public static Loaded load(List<SegmentedPair> pairs, String requiredClass, InputShape shape, Preprocessing pre,
                              MaskResize maskResize, Configuration conf) {
        return load(pairs, requiredClass, shape, pre, MaskObject.brightness("the brightness rule"), maskResize, conf);
    }

    /**
     * @param pre        how the images are preprocessed for scoring the filters
     * @param object     which mask levels are the object
     * @param maskResize how masks reach the maps: {@link MaskResize#BILINEAR} and {@link MaskResize#COVERAGE} keep each at its image's own size
     *                   (it resizes the mask as stored); the others bring it to the input's size here
     */
    public static Loaded load(List<SegmentedPair> pairs, String requiredClass, InputShape shape, Preprocessing pre,
                              MaskObject object, MaskResize maskResize, Configuration conf) {
        int per = ImageTensors.length(shape);
        List<float[]> values = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        List<int[]> maskSizes = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        java.util.Map<String, String> leftOut = new java.util.HashMap<>(); // class → its first pair left out
        for (SegmentedPair p : pairs) {
            BufferedImage image;
            BufferedImage mask;
            try {
                image = Images.decode(DataFiles.read(p.image(), conf), p.image());
                mask = Images.decode(DataFiles.read(p.mask(), conf), p.mask());
            } catch (FtlError e) {
                problems.add(e.getMessage() + "; pair left out");
                leftOut.putIfAbsent(p.className(), problems.get(problems.size() - 1));
                continue;
            }
            boolean[] m = maskAtImageSize(p, image, mask, object, problems);
            float[] x = new float[per];
            ImageTensors.write(image, shape, pre, x, 0);
            values.add(x);
            if (maskResize.fromStoredMask()) {
                masks.add(m);
                maskSizes.add(new int[] {image.getHeight(), image.getWidth()});
            } else {
                masks.add(MaskResize.resizeTo(m, image.getHeight(), image.getWidth(), shape.height(), shape.width(), maskResize));
                maskSizes.add(new int[] {shape.height(), shape.width()});
            }
            classes.add(p.className());
            names.add(p.name());
        }
        if (requiredClass != null && leftOut.containsKey(requiredClass) && !classes.contains(requiredClass)) {
            long of = pairs.stream().filter(p -> p.className().equals(requiredClass)).count();
            throw new FtlError("segmented: none of the " + of + " image(s) of the target class " + requiredClass
                    + " with masks could be used (the first: " + leftOut.get(requiredClass) + "); the iou and apoz"
                    + " criteria need them (or leave them out of prune.criteria)");
        }
        if (masks.isEmpty()) {
            throw new FtlError(pairs.isEmpty()
                    ? "no segmented images: the layout needs segmented/images/<Class>/ and segmented/masks/<Class>/"
                    : "no usable segmented image: " + problems.get(0));
        }
        float[] all = new float[per * masks.size()];
        for (int i = 0; i < values.size(); i++) {
            System.arraycopy(values.get(i), 0, all, i * per, per);
        }
        return new Loaded(new SegmentedSet(shape, all, masks, maskSizes, classes, names), List.copyOf(problems));
    }

    private static boolean[] maskAtImageSize(SegmentedPair p, BufferedImage image, BufferedImage mask, MaskObject object,
                                             List<String> problems) {
        boolean[] m = object.object(mask, p.mask());
        if (object.rule() != MaskObject.Rule.LABELS) {
            long distinct = java.util.Arrays.stream(Images.maskLevels(mask)).distinct().limit(3).count();
            if (distinct > 2) {
                problems.add(p.mask() + ": not a binary mask (more than two grey levels); object where "
                        + (object.rule() == MaskObject.Rule.NONZERO ? "non-zero" : "brighter than half its brightest level"));
            }
        }
        if (mask.getWidth() != image.getWidth() || mask.getHeight() != image.getHeight()) {
            problems.add(p.mask() + ": " + mask.getWidth() + "x" + mask.getHeight() + " but its image is " + image.getWidth()
                    + "x" + image.getHeight() + "; resized to the image (nearest neighbour)");
            m = MaskResize.NEAREST.resizeMask(m, mask.getHeight(), mask.getWidth(), image.getHeight(), image.getWidth());
        }
        int on = 0;
        for (boolean b : m) {
            on += b ? 1 : 0;
        }
        if (on == 0 && object.rule() == MaskObject.Rule.LABELS) {
            problems.add(p.mask() + ": empty mask: none of its levels (" + MaskObject.join(MaskObject.levels(
                    Images.maskLevels(mask))) + ") is a label of " + object.setting() + "; kept, it scores every filter alike");
        } else if (on == 0) {
            problems.add(p.mask() + ": empty mask (no object pixel); kept, it scores every filter alike");
        } else if (on == m.length) {
            problems.add(p.mask() + ": the mask covers the whole image; kept, it scores every filter alike");
        }
        return m;
    }
}
