package org.ftl.sweep;

import java.io.Serializable;
import java.util.List;

/**
 * One partition's images, decoded and resized once (bytes, interleaved channels) and kept by Spark for
 * every feature round. Images that could not be read are left out and named in {@code problems}.
 */
record DecodedBlock(int[] index, int[] label, boolean[] evaluation, byte[][] pixels, List<String> problems)
        implements Serializable {

    int size() {
        return index.length;
    }
}
