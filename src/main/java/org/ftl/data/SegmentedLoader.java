package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.prune.MaskResize;
import org.ftl.prune.SegmentedSet;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/** Reads the segmented pairs of a data listing into a {@link SegmentedSet} at the network's input size. */
public final class SegmentedLoader {
    private SegmentedLoader() {
    }

    /**
     * @param pairs the segmented pairs to read (usually all of them: the criterion picks its classes)
     */
    public static SegmentedSet load(List<SegmentedPair> pairs, InputShape shape, Preprocessing pre,
                                    MaskResize maskResize, Configuration conf) {
        if (pairs.isEmpty()) {
            throw new FtlError("no segmented images: the layout needs segmented/images/<Class>/ and segmented/masks/<Class>/");
        }
        int per = ImageTensors.length(shape);
        float[] values = new float[per * pairs.size()];
        List<boolean[]> masks = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            SegmentedPair p = pairs.get(i);
            BufferedImage image = Images.decode(DataFiles.read(p.image(), conf), p.image());
            BufferedImage mask = Images.decode(DataFiles.read(p.mask(), conf), p.mask());
            if (mask.getWidth() != image.getWidth() || mask.getHeight() != image.getHeight()) {
                throw new FtlError(p.mask() + ": mask is " + mask.getWidth() + "x" + mask.getHeight() + ", its image "
                        + p.image() + " is " + image.getWidth() + "x" + image.getHeight());
            }
            ImageTensors.write(image, shape, pre, values, i * per);
            masks.add(MaskResize.resizeTo(Images.mask(mask), mask.getHeight(), mask.getWidth(),
                    shape.height(), shape.width(), maskResize));
            classes.add(p.className());
            names.add(p.name());
        }
        return new SegmentedSet(shape, values, masks, classes, names);
    }
}
