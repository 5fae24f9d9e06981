package org.ftl.data.label;

/**
 * The outcome of thresholding one image: the mask (row-major, true = object), the grey level used
 * ({@link Otsu#NO_SPLIT} when the image or region had a single grey level and the mask is empty), and the
 * fraction of the whole image that is object, which the summary averages as a quick sanity check.
 */
public record LabelledMask(boolean[] mask, int width, int height, int threshold, double fraction) {
}
