package org.ftl.sweep;

import org.ftl.runs.StageUsage;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Measures a sweep's stages ({@link StageUsage}): wall time, the JVM's CPU time, its page faults and kernel time
 * ({@code /proc/self/stat} fields 10, 12 and 15) and its resident set ({@code /proc/self/status}).
 *
 * <p>A stage's peak is sampled, not read from the kernel's high-water mark: Linux can reset that mark (writing "5"
 * to {@code /proc/self/clear_refs} works here), but it is the same mark the kernel reports to the parent at exit,
 * so a reset per stage made {@code /usr/bin/time -v} show the last stage's peak instead of the run's (checked: a
 * JVM that touched 400 MB, freed it and reset reported 102 MB). The mark itself, never reset, is each stage's
 * {@code processPeakResidentBytes}.
 */
final class StageMeter {
    /** How often a running stage's resident set is read. */
    static final long SAMPLE_MILLIS = 50;
    /** The kernel's clock ticks per second in /proc (USER_HZ: 100 on every Linux architecture Java runs on). */
    private static final double TICKS_PER_SECOND = 100.0;
    private static final Path STAT = Path.of("/proc/self/stat");
    private static final Path STATUS = Path.of("/proc/self/status");

    /** The counters at a stage's start, and the largest resident set sampled since. */
    static final class Start {
        private final long nanos = System.nanoTime();
        private final long cpuNanos = cpuNanos();
        private final long[] stat = stat();
        private final AtomicLong peak = new AtomicLong(-1);
    }

    private final Map<String, StageUsage> stages = new LinkedHashMap<>();

    /** Starts a stage: the counters now; its resident set is sampled until {@link #end}. */
    Start begin() {
        Start s = new Start();
        Sampler.watch(s.peak);
        return s;
    }

    /** Ends a stage begun at {@code start}; returns its wall seconds. */
    double end(String stage, Start start) {
        // the last sample goes to every running stage, so an enclosing stage ("total") never misses a peak of its parts
        Sampler.sampleInto(Sampler.WATCHED);
        Sampler.unwatch(start.peak);
        double wall = (System.nanoTime() - start.nanos) / 1e9;
        long cpu = cpuNanos();
        long[] stat = stat();
        long peak = start.peak.get();
        stages.put(stage, new StageUsage(wall,
                cpu < 0 || start.cpuNanos < 0 ? null : (cpu - start.cpuNanos) / 1e9,
                start.stat == null || stat == null ? null : (stat[2] - start.stat[2]) / TICKS_PER_SECOND,
                peak < 0 ? null : peak, processPeak(peak),
                start.stat == null || stat == null ? null : stat[0] - start.stat[0],
                start.stat == null || stat == null ? null : stat[1] - start.stat[1]));
        return wall;
    }

    /**
     * The kernel's high-water mark, or the stage's sampled peak when that is larger: with split per-CPU RSS counters
     * the mark can trail a VmRSS read moments before (seen on a CI machine), and a process peak below a stage's
     * peak would be nonsense.
     */
    private static Long processPeak(long sampled) {
        Long mark = status("VmHWM:");
        return mark == null ? null : Math.max(mark, sampled);
    }

    /** Every stage ended so far, in order. */
    Map<String, StageUsage> stages() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(stages));
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    /** Minor faults, major faults, kernel ticks: fields 10, 12, 15 of /proc/self/stat; null without /proc. */
    static long[] stat() {
        try {
            String s = Files.readString(STAT);
            // the fields after the command name, which is in parentheses and may hold spaces: field 3 first
            String[] f = s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
            return new long[] {Long.parseLong(f[10 - 3]), Long.parseLong(f[12 - 3]), Long.parseLong(f[15 - 3])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** A "kB" line of /proc/self/status (VmRSS, VmHWM), in bytes; null without /proc. */
    static Long status(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc (not Linux) or an unexpected format: unknown
        }
        return null;
    }

    /**
     * One daemon thread per JVM that reads the resident set every {@link #SAMPLE_MILLIS} ms while a stage is
     * running, into every running stage's peak (the run's "total" is one of them), and waits otherwise.
     */
    private static final class Sampler {
        private static final List<AtomicLong> WATCHED = new CopyOnWriteArrayList<>();
        private static Thread thread;

        static synchronized void watch(AtomicLong peak) {
            WATCHED.add(peak);
            sampleInto(WATCHED);
            if (thread == null) {
                thread = new Thread(Sampler::run, "ftl-stage-meter");
                thread.setDaemon(true);
                thread.start();
            }
            Sampler.class.notifyAll();
        }

        static void unwatch(AtomicLong peak) {
            WATCHED.remove(peak);
        }

        static void sampleInto(List<AtomicLong> peaks) {
            Long rss = status("VmRSS:");
            if (rss != null) {
                peaks.forEach(p -> p.accumulateAndGet(rss, Math::max));
            }
        }

        private static void run() {
            try {
                while (true) {
                    synchronized (Sampler.class) {
                        while (WATCHED.isEmpty()) {
                            Sampler.class.wait();
                        }
                    }
                    sampleInto(WATCHED);
                    Thread.sleep(SAMPLE_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
