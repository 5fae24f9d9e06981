package org.ftl.data.tile;

/** Which part of the data layout a source photo's patches go to. */
public enum Split {
    /** DATA/dataset/&lt;Class&gt;: the heads are trained on these, and the segmented set is drawn from them. */
    TRAINING,
    /** DATA/evaluation/&lt;Class&gt;: held out, only ever used to test. */
    EVALUATION
}
