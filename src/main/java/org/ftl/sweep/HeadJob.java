package org.ftl.sweep;

import org.ftl.head.HeadSettings;
import org.ftl.cost.CostSettings;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.FeatureMode;

import java.io.Serializable;
import java.util.List;

/** What every head task needs to know, shipped once with the closure. */
record HeadJob(InputShape input, Preprocessing preprocessing, FeatureMode features, HeadSettings head,
               CostSettings latency, List<String> classes, int positiveClass, long seed) implements Serializable {
}
