package org.ftl.runs;

import java.io.Serializable;

/**
 * What one stage of a sweep used, as run.json's {@code stageUsage} and {@code ftl bench} report it: the driver's
 * JVM, which in local mode (a laptop's sweep) runs the executors' tasks too. Fields the operating system does not
 * give (no {@code /proc}, e.g. macOS) are null.
 *
 * @param wallSeconds              elapsed time, as {@code stageSeconds}
 * @param cpuSeconds               the JVM's CPU time, user and system, every thread (JIT, GC and native libraries
 *                                 included); above {@code wallSeconds} when the stage ran on several cores
 * @param systemCpuSeconds         the part spent in the kernel (page faults, zeroing fresh pages, I/O)
 * @param peakResidentBytes        the largest resident set seen during the stage, sampled every
 *                                 {@value StageMeter#SAMPLE_MILLIS} ms (a spike shorter than that can be missed)
 * @param processPeakResidentBytes the JVM's peak resident set since it started (VmHWM) at the stage's end: exact,
 *                                 and what {@code /usr/bin/time -v} reports as the maximum at exit
 * @param minorFaults              page faults served without I/O: mostly fresh memory the kernel had to zero
 * @param majorFaults              page faults that read from disk
 */
public record StageUsage(double wallSeconds, Double cpuSeconds, Double systemCpuSeconds, Long peakResidentBytes,
                         Long processPeakResidentBytes, Long minorFaults, Long majorFaults) implements Serializable {
}
