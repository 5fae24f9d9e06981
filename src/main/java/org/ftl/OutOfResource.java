package org.ftl;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The machine ran out of something the run needs — disk space, write permission on an output folder, Java heap or
 * native memory — rather than the input or the code being wrong. Its message is one line naming the path or the
 * limit and the setting to change; the CLI prints it without a stack trace and exits with its own code.
 *
 * <p>Recognising these is spread over many shapes: Hadoop's local file system wraps a full disk's
 * {@code IOException} in {@code FSError} (an {@code Error}, so it slips past handlers of exceptions), Spark hands
 * a task's failure to the driver as the cause or only the text of a {@code SparkException}, JavaCPP reports
 * native limits as {@code OutOfMemoryError}s whose messages name the limit. {@link #kindOf} looks at all of them.
 */
public final class OutOfResource extends RuntimeException {
    /** What ran out. */
    public enum Kind {
        DISK_FULL("out of disk space"),
        NO_PERMISSION("permission denied"),
        HEAP("out of memory: the Java heap is full"),
        NATIVE_MEMORY("out of native memory");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }

        public boolean disk() {
            return this == DISK_FULL || this == NO_PERMISSION;
        }
    }

    private final Kind kind;
    private final String path;

    private OutOfResource(Kind kind, String path, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.path = path;
    }

    /** A write that failed for want of space or permission; the message names the path and the system's reason. */
    public static OutOfResource writing(Kind kind, String path, Throwable cause) {
        String why = reason(cause);
        // java.nio and Hadoop put the path in front of the reason: once in the line is enough
        for (String prefix : new String[] {path + ": ", new java.io.File(path.replaceFirst("^[a-z]+:(//)?", "")).getPath() + ": "}) {
            why = why.startsWith(prefix) ? why.substring(prefix.length()) : why;
        }
        return new OutOfResource(kind, path, kind.words() + ": cannot write " + path + " (" + why + ")", cause);
    }

    /** A resource that ran out, in words the caller composed (it knows the setting to change and what is kept). */
    public static OutOfResource of(Kind kind, String path, String message, Throwable cause) {
        return new OutOfResource(kind, path, message, cause);
    }

    public Kind kind() {
        return kind;
    }

    /** The file or folder that could not be written; null for memory. */
    public String path() {
        return path;
    }

    /**
     * What a failed write becomes: this class when the disk is full or the path not writable, an
     * {@link UncheckedIOException} naming the path for other I/O errors; other exceptions and errors as they are.
     * Declared to return so callers can {@code throw} it; an {@code Error} or a checked exception (Spark's, which
     * Scala does not declare) is thrown from here unchanged.
     */
    public static RuntimeException whenWriting(String path, Throwable failure) {
        if (failure instanceof OutOfResource o) {
            return o;
        }
        Optional<Kind> kind = kindOf(failure).filter(Kind::disk);
        if (kind.isPresent()) {
            return writing(kind.get(), path, failure);
        }
        if (failure instanceof IOException io) {
            return new UncheckedIOException("cannot write " + path + ": " + io.getMessage(), io);
        }
        if (failure instanceof RuntimeException r) {
            return r;
        }
        throw OutOfResource.<RuntimeException>sneaky(failure);
    }

    /** Rethrows a checked exception Scala code threw undeclared (SparkException) as it is. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> T sneaky(Throwable t) throws T {
        throw (T) t;
    }

    /** What ran out, if that is why this failed: looks through causes (and their texts, as Spark relays them). */
    public static Optional<Kind> kindOf(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof OutOfResource o) {
                return Optional.of(o.kind());
            }
            Optional<Kind> k = ofOne(t);
            if (k.isPresent()) {
                return k;
            }
        }
        return Optional.empty();
    }

    /**
     * Why a command failed, if a resource ran out: as {@link #kindOf}, except that a permission error counts only
     * when a write raised it ({@link #whenWriting}): a file the run cannot read is bad input, not a full machine.
     */
    public static Optional<Kind> ranOut(Throwable failure) {
        Optional<Kind> kind = kindOf(failure);
        return kind.filter(k -> k != Kind.NO_PERMISSION || find(failure) != null);
    }

    /** The first OutOfResource among the failure and its causes, or null. */
    public static OutOfResource find(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof OutOfResource o) {
                return o;
            }
        }
        return null;
    }

    /** True when a Spark job failed on the way (the error happened in a task, or Spark relays its text). */
    public static boolean inSparkJob(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t.getClass().getName().equals("org.apache.spark.SparkException")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<Kind> ofOne(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return Optional.of(memoryKind(t.getMessage()));
        }
        if (t instanceof AccessDeniedException || t.getClass().getName().equals("org.apache.hadoop.security.AccessControlException")) {
            return Optional.of(Kind.NO_PERMISSION);
        }
        if (t.getClass().getName().equals("org.apache.hadoop.util.DiskChecker$DiskOutOfSpaceException")
                || t.getClass().getName().endsWith("QuotaExceededException")) {
            return Optional.of(Kind.DISK_FULL);
        }
        String m = t.getMessage();
        if (m == null) {
            return Optional.empty();
        }
        String lower = m.toLowerCase(Locale.ROOT);
        if (lower.contains("no space left on device") || lower.contains("disk quota exceeded")) {
            return Optional.of(Kind.DISK_FULL);
        }
        // java.io reports EACCES and EROFS in the text of a FileNotFoundException ("PATH (Permission denied)")
        if (t instanceof IOException && (lower.contains("(permission denied)")
                || lower.contains("read-only file system"))) {
            return Optional.of(Kind.NO_PERMISSION);
        }
        // a task's error as Spark relays it to the driver: only its text, when the error itself did not travel
        if (t.getClass().getName().equals("org.apache.spark.SparkException")) {
            if (lower.contains("java.lang.outofmemoryerror")) {
                return Optional.of(memoryKind(m.substring(lower.indexOf("java.lang.outofmemoryerror"))));
            }
            // an executor the JVM or the resource manager killed for memory (SparkExitCode.OOM is 52)
            if (lower.contains("exit code: 52") || lower.contains("exited with code 52")
                    || lower.contains("exceeding memory limits") || lower.contains("oomkilled")) {
                return Optional.of(Kind.HEAP);
            }
        }
        // Spark refuses to start on a heap smaller than it needs (UnifiedMemoryManager)
        if (t instanceof IllegalArgumentException && lower.contains("must be at least") && lower.contains("heap size")) {
            return Optional.of(Kind.HEAP);
        }
        return Optional.empty();
    }

    /** JavaCPP's own limits, native allocators and direct buffers are native memory; the rest is the heap. */
    private static Kind memoryKind(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        boolean nativeMemory = m.contains("physical memory usage is too high") || m.contains("cannot allocate")
                || m.contains("failed to allocate memory within limits") || m.contains("maxbytes")
                || m.contains("native allocator") || m.contains("direct buffer memory")
                || m.contains("unable to create native thread");
        return nativeMemory ? Kind.NATIVE_MEMORY : Kind.HEAP;
    }

    /** The innermost message of the failure: the system's own words ("No space left on device"). */
    public static String reason(Throwable failure) {
        String reason = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !(t instanceof OutOfResource)) {
                reason = t.getMessage();
            }
        }
        String r = reason == null ? failure.getClass().getSimpleName() : reason.lines().findFirst().orElse("").strip();
        return r.length() > 300 ? r.substring(0, 300) + "…" : r;
    }

    /** The memory message of a failure: the innermost OutOfMemoryError's text, JavaCPP's limit and sizes included. */
    public static String memoryReason(Throwable failure) {
        String found = null;
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError && t.getMessage() != null) {
                found = t.getMessage();
            }
        }
        if (found == null) {
            String r = reason(failure);
            int at = r.indexOf("OutOfMemoryError");
            found = at >= 0 ? r.substring(at) : r;
        }
        return found.lines().findFirst().orElse("").strip();
    }

    /**
     * Memory ran out: the limit that was hit and the setting to raise, or (when given) those that make the stage
     * need less.
     *
     * @param during the stage, for the message; null when not known
     * @param relief what else makes the stage need less, with the values as run ("lower features.batch-size
     *               (64)"); or null
     */
    public static OutOfResource memory(Throwable failure, String during, String relief) {
        Kind kind = kindOf(failure).filter(k -> !k.disk()).orElse(Kind.HEAP);
        String where = during == null ? "" : " during " + during;
        String why = memoryReason(failure);
        String less = relief == null || relief.isEmpty() ? "" : ", or " + relief;
        String message;
        if (kind == Kind.HEAP) {
            message = "out of memory: the Java heap is full" + where + " (" + why + "; this JVM's -Xmx is " + mb(
                    Runtime.getRuntime().maxMemory()) + "): give it more with FTL_MEMORY=… (half of it is the heap) or FTL_JAVA_OPTS=-Xmx… (spark-submit: "
                    + "--driver-memory, --executor-memory)" + less;
        } else {
            message = "out of native memory" + where + " (" + why + "): JavaCPP lets this JVM's resident memory reach "
                    + "org.bytedeco.javacpp.maxphysicalbytes = " + mb(org.bytedeco.javacpp.Pointer.maxPhysicalBytes())
                    + " and its own buffers org.bytedeco.javacpp.maxbytes = " + mb(org.bytedeco.javacpp.Pointer.maxBytes())
                    + " (submit/ftl sets them from FTL_MEMORY; otherwise they follow -Xmx): raise them with FTL_MEMORY=… or "
                    + "FTL_JAVA_OPTS=\"-Dorg.bytedeco.javacpp.maxphysicalbytes=… -Dorg.bytedeco.javacpp.maxbytes=…\" (on a "
                    + "cluster submit/cluster.sh --executor-overhead, which sets spark.executor.memoryOverhead)" + less;
        }
        return new OutOfResource(kind, null, message, failure);
    }

    /**
     * One line for any failure {@link #ranOut} recognises, for commands that know no better: the message of an
     * OutOfResource in it, the memory limit, or the failure's own message (which names the path it was writing).
     */
    public static String describe(Throwable failure) {
        OutOfResource o = find(failure);
        if (o != null) {
            return o.getMessage();
        }
        Kind kind = kindOf(failure).orElseThrow();
        if (!kind.disk()) {
            return memory(failure, null, null).getMessage();
        }
        String outer = failure.getMessage() == null ? "" : failure.getMessage().lines().findFirst().orElse("").strip();
        String why = reason(failure);
        return kind.words() + ": " + (outer.isEmpty() || outer.equals(why) ? why : outer + (outer.contains(why) ? ""
                : " (" + why + ")"));
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%,d MB", bytes / (1024 * 1024));
    }
}
