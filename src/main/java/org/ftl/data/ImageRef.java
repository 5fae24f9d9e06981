package org.ftl.data;

import java.io.Serializable;

/** One image of the data layout: its path (any Hadoop URI), class and split. */
public record ImageRef(String path, String className, Split split) implements Serializable {
    /** Where in the layout an image lives. */
    public enum Split { DATASET, EVALUATION, SEGMENTED }

    /** The file name without folders. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
