package org.ftl.data;

import java.io.Serializable;

/** A segmented image and its mask, matched by file name (extensions may differ: 001.jpg ↔ 001.png). */
public record SegmentedPair(String image, String mask, String className) implements Serializable {
    public String name() {
        return image.substring(image.lastIndexOf('/') + 1);
    }
}
