package org.ftl.head;

import java.io.Serializable;
import java.util.List;

/**
 * Features of images with the class of each: {@code labels[i]} indexes {@code classes}, the class (folder)
 * names in a fixed order. The order is the head's: its output k is {@code classes.get(k)}.
 */
public record LabelledFeatures(FeatureMatrix features, int[] labels, List<String> classes) implements Serializable {
    public LabelledFeatures {
        classes = List.copyOf(classes);
        labels = labels.clone();
        if (classes.size() < 2) {
            throw new IllegalArgumentException("a classifier needs at least two classes, got " + classes);
        }
        if (labels.length != features.rows()) {
            throw new IllegalArgumentException(labels.length + " labels for " + features.rows() + " feature rows");
        }
        for (int label : labels) {
            if (label < 0 || label >= classes.size()) {
                throw new IllegalArgumentException("label " + label + " is not one of the " + classes.size() + " classes");
            }
        }
    }

    public int size() {
        return labels.length;
    }

    public int classCount() {
        return classes.size();
    }

    /** Images per class, in the order of {@link #classes}. */
    public int[] counts() {
        int[] counts = new int[classes.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }
}
