package org.ftl;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The local disk under the scheme {@code fulldisk://}, made to run out the way a real one does, for tests that
 * cannot mount a small file system (that needs root). Registered with Hadoop through
 * {@code META-INF/services/org.apache.hadoop.fs.FileSystem}, so Spark's writers and executors reach it like any
 * file system.
 *
 * <ul>
 * <li><b>Full:</b> from the n-th file created whose path matches a pattern on, every file is created (a full disk
 * still has inodes) but its bytes go to {@code /dev/full}, through Hadoop's own local output stream: the write fails
 * with the very {@code FSError(IOException: No space left on device)} a full local disk gives, when the buffer is
 * flushed, as it does there. {@link #free()} makes room again.</li>
 * <li><b>Not writable:</b> inside a folder given to {@link #readOnly}, {@code mkdirs} answers false and creating a
 * file throws {@code FileNotFoundException: PATH (Permission denied)} — what {@code RawLocalFileSystem} does for a
 * user without write permission (seen as a non-root user; root ignores the permission bits, so tests cannot rely on
 * chmod).</li>
 * <li><b>Memory:</b> {@link #onOpen} runs an action when a matching file is opened for the n-th time by a matching
 * thread: a test makes a real allocation there that the JVM or JavaCPP refuses.</li>
 * </ul>
 * The state is static (one JVM, local Spark); {@link #reset()} clears it.
 */
public class FullDiskFileSystem extends RawLocalFileSystem {
    public static final String SCHEME = "fulldisk";
    private static final URI ROOT = URI.create(SCHEME + ":///");

    /** {@code wholeDisk}: once it fires, every write is refused; else only those it matches. */
    private record Rule(Pattern path, int nth, Predicate<Thread> threads, boolean wholeDisk, AtomicInteger seen,
                        Runnable action) {
        boolean fires(Path p) {
            return matches(p) && seen.incrementAndGet() == nth;
        }

        boolean matches(Path p) {
            return path.matcher(p.toUri().getPath()).find() && threads.test(Thread.currentThread());
        }
    }

    private static final List<Rule> FILLS = new CopyOnWriteArrayList<>();
    private static final List<Rule> OPENS = new CopyOnWriteArrayList<>();
    private static final List<String> READ_ONLY = new CopyOnWriteArrayList<>();
    /** The rule that filled the disk, or null: from then on, writes it matches are refused. */
    private static volatile Rule fullBy;
    private static final AtomicInteger REFUSED = new AtomicInteger();

    /** The local folder as a {@code fulldisk:} path. */
    public static String uri(java.nio.file.Path local) {
        return SCHEME + "://" + local.toAbsolutePath();
    }

    /** An empty disk, writable everywhere, no actions on open. */
    public static void reset() {
        FILLS.clear();
        OPENS.clear();
        READ_ONLY.clear();
        fullBy = null;
        REFUSED.set(0);
    }

    /** The disk fills when the n-th file whose path matches {@code regex} is created (that file gets no bytes). */
    public static void fillAt(String regex, int nth) {
        FILLS.add(new Rule(Pattern.compile(regex), nth, t -> true, true, new AtomicInteger(), null));
    }

    /**
     * As {@link #fillAt}, for a disk only some writers share: from the n-th matching file the given threads create
     * on, they cannot write files matching {@code regex}; others can.
     */
    public static void fillAt(String regex, int nth, Predicate<Thread> writers) {
        FILLS.add(new Rule(Pattern.compile(regex), nth, writers, false, new AtomicInteger(), null));
    }

    /** Room again: later writes succeed. */
    public static void free() {
        FILLS.clear();
        fullBy = null;
    }

    /** Files created while the disk was full (their bytes refused). */
    public static int refused() {
        return REFUSED.get();
    }

    /** Nothing can be created inside this existing folder. */
    public static void readOnly(java.nio.file.Path local) {
        READ_ONLY.add(local.toAbsolutePath().toString());
    }

    /** Runs the action when the n-th open by a matching thread of a file whose path matches {@code regex} happens. */
    public static void onOpen(String regex, int nth, Predicate<Thread> readers, Runnable action) {
        OPENS.add(new Rule(Pattern.compile(regex), nth, readers, false, new AtomicInteger(), action));
    }

    /** Spark's task threads (local mode runs them in this JVM). */
    public static boolean executor(Thread t) {
        return t.getName().startsWith("Executor task launch worker");
    }

    @Override
    public URI getUri() {
        return ROOT;
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    @Override
    protected OutputStream createOutputStreamWithMode(Path f, boolean append, FsPermission permission) throws IOException {
        if (readOnlyParent(f)) {
            throw new FileNotFoundException(pathToFile(f) + " (Permission denied)");
        }
        Rule full;
        // counted and decided together: of two tasks creating files at once, only the later one finds the disk full
        synchronized (FILLS) {
            for (Rule r : FILLS) {
                if (fullBy == null && r.fires(f)) {
                    fullBy = r;

                }
            }
            full = fullBy;
        }
        OutputStream real = super.createOutputStreamWithMode(f, append, permission);
        if (full == null || !full.wholeDisk() && !full.matches(f)) {
            return real;
        }
        real.close();
        REFUSED.incrementAndGet();
        // appending with no permission: Hadoop opens it without touching /dev/full's mode
        return super.createOutputStreamWithMode(new Path("/dev/full"), true, null);
    }

    @Override
    public boolean mkdirs(Path f, FsPermission permission) throws IOException {
        return !exists(f) && readOnlyParent(f) ? false : super.mkdirs(f, permission);
    }

    @Override
    public boolean mkdirs(Path f) throws IOException {
        return !exists(f) && readOnlyParent(f) ? false : super.mkdirs(f);
    }

    @Override
    public FSDataInputStream open(Path f, int bufferSize) throws IOException {
        for (Rule r : OPENS) {
            if (r.fires(f)) {
                r.action().run();
            }
        }
        return super.open(f, bufferSize);
    }

    /** True when the path would be created inside a read-only folder (at any depth below it). */
    private boolean readOnlyParent(Path f) {
        String local = pathToFile(f).getAbsolutePath();
        for (String dir : READ_ONLY) {
            if (local.startsWith(dir + "/")) {
                return true;
            }
        }
        return false;
    }
}
