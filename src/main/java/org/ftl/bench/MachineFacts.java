package org.ftl.bench;

import org.ftl.cost.Nd4jThreads;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a benchmark's numbers depend on besides the code: the machine and the libraries' thread settings.
 * Linux's {@code /proc} gives the CPU model, memory and load; elsewhere the JVM's own view stands in.
 *
 * @param cores          processors the JVM may use
 * @param cpuModel       {@code model name} of /proc/cpuinfo ("unknown" where there is none)
 * @param memoryBytes    physical memory
 * @param maxHeapBytes   the JVM's -Xmx
 * @param nd4jBackend    ND4J's backend class
 * @param blasVendor     the BLAS library ND4J calls for matrix products
 * @param nd4jMaxThreads ND4J's thread ceiling, fixed at JVM start-up (see {@link Nd4jThreads})
 * @param nd4jThreads    the three thread knobs as found (libnd4j master threads, BLAS, OpenMP)
 */
public record MachineFacts(String host, String os, int cores, String cpuModel, long memoryBytes, String java, String jvm,
                           long maxHeapBytes, String nd4jBackend, String blasVendor, int nd4jMaxThreads,
                           String nd4jThreads) {

    public static MachineFacts collect() {
        Nd4jThreads.Setting threads = Nd4jThreads.current();
        return new MachineFacts(readHost(), System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), readCpuModel(), readMemoryBytes(),
                System.getProperty("java.version"), System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"),
                Runtime.getRuntime().maxMemory(), Nd4j.getBackend().getClass().getSimpleName(),
                String.valueOf(Nd4j.factory().blas().getBlasVendor()), Nd4jThreads.ceiling(),
                "master " + threads.masterThreads() + ", BLAS " + threads.blasThreads() + ", OpenMP " + threads.ompThreads());
    }

    /** The 1, 5 and 15 minute load averages (only the first where /proc/loadavg is missing). */
    public static List<Double> loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return List.of(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]));
        } catch (IOException | RuntimeException e) {
            double one = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            List<Double> l = new ArrayList<>();
            l.add(one < 0 ? Double.NaN : one);
            return l;
        }
    }

    private static String readCpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return "unknown (" + System.getProperty("os.arch") + ")";
    }

    private static long readMemoryBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: ask the JVM
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    private static String readHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One line for the console. */
    public String describe() {
        return String.format(Locale.ROOT, "%s: %d cores (%s), %.1f GB memory, Java %s (-Xmx %.1f GB), ND4J %s with %s, "
                        + "threads at most %d (%s)", host, cores, cpuModel, memoryBytes / 1e9, java, maxHeapBytes / 1e9,
                nd4jBackend, blasVendor, nd4jMaxThreads, nd4jThreads);
    }
}
