package org.ftl.data.synth;

/** The parts of the data layout the generator fills; each has its own stream of images for a seed. */
public enum Split {
    /** {@code dataset/}: training images. */
    DATASET,
    /** {@code evaluation/}: held-out test images. */
    EVALUATION,
    /** {@code segmented/}: crack images with their pixel masks, for filter scoring. */
    SEGMENTED
}
