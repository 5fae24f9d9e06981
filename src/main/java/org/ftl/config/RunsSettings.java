package org.ftl.config;

/** {@code ftl.runs}: where run folders are written. */
public record RunsSettings(String root) {

    static RunsSettings from(Settings s) {
        return new RunsSettings(s.nonEmpty("ftl.runs.root"));
    }
}
