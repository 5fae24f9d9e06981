package org.ftl.head;

import java.io.Serializable;

/** A candidate's head refitted on the whole training split, with the cross-validation that chose its C. */
public record TrainedHead(LogisticHead head, CvTable cv) implements Serializable {
}
