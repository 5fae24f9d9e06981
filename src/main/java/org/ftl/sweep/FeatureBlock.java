package org.ftl.sweep;

import java.io.Serializable;

/** One candidate's features for one partition's images: row-major [images × dimension] floats. */
record FeatureBlock(int[] index, int[] label, boolean[] evaluation, float[] values, int dimension) implements Serializable {
}
