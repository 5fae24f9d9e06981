package org.ftl.runs;

import org.ftl.config.Settings;

/**
 * {@code ftl.runs}: where run folders are written, whether a sweep resumes an unfinished one, how many are kept,
 * and how far a winner's F1 may fall below the previous run's before the sweep reports a regression.
 */
public record RunsSettings(String root, boolean resume, int keep, double regressionTolerance) {

    public static RunsSettings from(Settings s) {
        return new RunsSettings(s.nonEmpty("ftl.runs.root"), s.bool("ftl.runs.resume"),
                s.intIn("ftl.runs.keep", 0, 100000), s.doubleIn("ftl.runs.regression-tolerance", 0, 1));
    }
}
