package org.ftl.cli;

/** The exit codes of every ftl command (documented in the README and in {@code ftl --help}). */
public final class ExitCode {
    /** Done, nothing failed. */
    public static final int OK = 0;
    /** An unexpected internal error (a bug): the message and stack trace are printed. */
    public static final int INTERNAL = 1;
    /** Bad command line or configuration, or another sweep holds the runs root's lock: nothing was done. */
    public static final int USAGE = 2;
    /** Bad input (a data folder, image or model file): the message names it. */
    public static final int INPUT = 3;
    /** The sweep finished and was ranked, but some candidates failed (their rows say why). */
    public static final int PARTIAL = 4;
    /**
     * The sweep finished, but its winner's F1 fell more than runs.regression-tolerance below the previous run's
     * of the same name on the same data (history.csv marks it). Takes precedence over {@link #PARTIAL}.
     */
    public static final int REGRESSION = 5;
    /**
     * The machine ran out of a resource: disk space or write permission on an output path, Java heap or native
     * memory. The one-line message names the path or the limit and the setting to change; a sweep's run folder
     * has no _SUCCESS and keeps its checkpoints, so {@code --resume} finishes it once the resource is there.
     */
    public static final int RESOURCE = 6;

    private ExitCode() {
    }
}
