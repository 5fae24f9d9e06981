package org.ftl.sweep;

import java.io.Serializable;

/** One image of the sweep: its place in the run's image list, path, class index and split. */
record ImageRow(int index, String path, int label, boolean evaluation) implements Serializable {
}
