package org.ftl.sweep;

import org.ftl.cost.LatencySettings;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.FeatureMode;
import org.ftl.head.HeadSettings;

import java.io.Serializable;
import java.util.List;

/** What every head task needs to know, shipped once with the closure. */
record HeadJob(InputShape input, Preprocessing preprocessing, FeatureMode features, HeadSettings head,
               LatencySettings latency, List<String> classes, int positiveClass, long seed) implements Serializable {
}
