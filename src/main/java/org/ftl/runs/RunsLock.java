package org.ftl.runs;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.data.DataFiles;
import org.ftl.FtlError;
import org.ftl.OutOfResource;

import java.io.File;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * {@code RUNS/sweep.lock}: one sweep at a time on a runs root, since sweeps there share the history, retention
 * and the unfinished run a resume continues. The file says who holds it (pid, host, config name, since when, and
 * when that process started). Taking it is atomic: the file is written under a temporary name and then linked
 * (local file system) or renamed (HDFS, which refuses to rename onto an existing file) into place, so of two
 * sweeps starting together exactly one gets it.
 *
 * <p>A lock whose holder is gone is stale and taken over, with a line on the console: on the same host, when its
 * pid is not running or now belongs to a process that started later. A lock held from another host cannot be
 * checked from here: the message says to delete it once that sweep is known to be gone. A sweep stopped by
 * SIGTERM (systemd, Ctrl-C) releases its lock; one killed with SIGKILL leaves a stale lock.
 */
public final class RunsLock implements AutoCloseable {
    public static final String FILE = "sweep.lock";
    /** Process start times from /proc are good to about a second. */
    private static final Duration SAME_START = Duration.ofSeconds(2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The lock file's content. */
    public record Holder(long pid, String host, String config, String since, String processStart) {
        static Holder me(String config) {
            ProcessHandle self = ProcessHandle.current();
            return new Holder(self.pid(), hostName(), config, Instant.now().toString(),
                    self.info().startInstant().map(Instant::toString).orElse(null));
        }

        String describe() {
            return "pid " + pid + " on host " + host + ", config " + config + ", since " + since;
        }
    }

    private final FileSystem fs;
    private final Path lock;
    private final Holder holder;
    private final Thread onShutdown;
    /** This sweep made the runs root: a sweep that fails before writing anything leaves no empty folder. */
    private final boolean madeRoot;

    private RunsLock(FileSystem fs, Path lock, Holder holder, boolean madeRoot) {
        this.fs = fs;
        this.lock = lock;
        this.holder = holder;
        this.madeRoot = madeRoot;
        // SIGTERM (systemd stopping the unit, Ctrl-C) runs shutdown hooks but not the sweep's finally blocks
        this.onShutdown = new Thread(this::release, "ftl-release-" + FILE);
        Runtime.getRuntime().addShutdownHook(onShutdown);
    }

    /**
     * Takes the lock of {@code runsRoot} (creating the folder) or throws {@link LockHeld} naming the lock file
     * and its holder.
     */
    public static RunsLock acquire(String runsRoot, Configuration conf, String config, PrintStream console) {
        Path root = new Path(runsRoot);
        Holder me = Holder.me(config);
        try {
            FileSystem fs = DataFiles.fileSystem(runsRoot, conf);
            fs.setWriteChecksum(false);
            boolean madeRoot = !fs.exists(root);
            DataFiles.mkdirs(fs, root);
            Path lock = fs.makeQualified(new Path(root, FILE));
            byte[] mine = JSON.writeValueAsBytes(me);
            for (int attempt = 0; attempt < 5; attempt++) {
                if (create(fs, lock, mine)) {
                    return new RunsLock(fs, lock, me, madeRoot);
                }
                byte[] theirs = read(fs, lock);
                if (theirs == null) {
                    continue; // released meanwhile
                }
                Holder other;
                try {
                    other = JSON.readValue(theirs, Holder.class);
                } catch (IOException e) {
                    throw new LockHeld(lock + " exists but does not say who holds it (" + e.getMessage().lines().findFirst()
                            .orElse("") + "): if no sweep is running on " + runsRoot + ", delete it");
                }
                Optional<String> stale = staleness(other);
                if (stale.isEmpty()) {
                    boolean here = other.host() != null && other.host().equals(me.host());
                    throw new LockHeld(runsRoot + " is in use: another sweep holds " + lock + " (" + other.describe()
                            + ")" + (here ? "; try again when it has finished"
                            : "; it cannot be checked from " + me.host() + ": if that sweep is gone, delete the lock file"));
                }
                console.println("runs: taking over the stale lock " + lock + " (" + other.describe() + "): " + stale.get());
                removeIf(fs, lock, theirs);
            }
            throw new LockHeld(lock + ": could not be taken after 5 attempts (other sweeps keep starting)");
        } catch (IOException | RuntimeException | Error e) {
            // the first write to the runs root: a full disk or a folder this user cannot write shows here
            if (OutOfResource.kindOf(e).isPresent() && !(e instanceof LockHeld)) {
                throw OutOfResource.whenWriting(new Path(root, FILE).toString(), e);
            }
            if (e instanceof IOException) {
                throw new FtlError(runsRoot + ": cannot take the lock " + FILE + ": " + e.getMessage(), e);
            }
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw (Error) e;
        }
    }

    /** Why a holder is gone, or empty while it may still run. */
    static Optional<String> staleness(Holder other) {
        if (other.host() == null || !other.host().equals(hostName())) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(other.pid());
        if (process.isEmpty() || !process.get().isAlive()) {
            return Optional.of("process " + other.pid() + " is not running any more");
        }
        Optional<Instant> started = process.get().info().startInstant();
        if (other.processStart() != null && started.isPresent()) {
            Instant then = Instant.parse(other.processStart());
            if (Duration.between(then, started.get()).abs().compareTo(SAME_START) > 0) {
                return Optional.of("pid " + other.pid() + " now belongs to another process (started " + started.get() + ")");
            }
        }
        return Optional.empty();
    }

    public Holder holder() {
        return holder;
    }

    public String path() {
        return lock.toString();
    }

    /** Releases the lock if it is still this sweep's. */
    @Override
    public void close() {
        release();
        try {
            Runtime.getRuntime().removeShutdownHook(onShutdown);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }

    private synchronized void release() {
        try {
            byte[] now = read(fs, lock);
            if (now != null && JSON.readValue(now, Holder.class).equals(holder)) {
                fs.delete(lock, false);
                if (madeRoot && fs.listStatus(lock.getParent()).length == 0) {
                    fs.delete(lock.getParent(), false);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("ftl: could not release " + lock + ": " + e.getMessage());
        }
    }

    /** Creates {@code lock} with the content, unless it exists; atomic on the local file system and on HDFS. */
    private static boolean create(FileSystem fs, Path lock, byte[] content) throws IOException {
        Path tmp = new Path(lock.getParent(), "." + FILE + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(content);
            }
            if ("file".equals(fs.getScheme())) {
                // Hadoop's local rename replaces an existing file; a hard link never does
                try {
                    Files.createLink(new File(lock.toUri()).toPath(), new File(fs.makeQualified(tmp).toUri()).toPath());
                    return true;
                } catch (FileAlreadyExistsException e) {
                    return false;
                }
            }
            return fs.rename(tmp, lock);
        } finally {
            DataFiles.deleteQuietly(fs, tmp);
        }
    }

    /**
     * Removes the stale lock, unless another sweep replaced it meanwhile: it is moved aside first (atomic), and
     * put back if what was moved is not the stale content.
     */
    private static void removeIf(FileSystem fs, Path lock, byte[] stale) throws IOException {
        Path aside = new Path(lock.getParent(), "." + FILE + "." + UUID.randomUUID() + ".stale");
        if (!fs.rename(lock, aside)) {
            return; // gone already
        }
        byte[] moved = read(fs, aside);
        if (moved != null && !java.util.Arrays.equals(moved, stale)) {
            create(fs, lock, moved);
        }
        fs.delete(aside, false);
    }

    private static byte[] read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** For tests and tools: writes a lock file with the given holder (no checks). */
    static void write(String runsRoot, Configuration conf, Holder holder) {
        try {
            Path root = new Path(runsRoot);
            FileSystem fs = root.getFileSystem(conf);
            fs.setWriteChecksum(false);
            fs.mkdirs(root);
            try (FSDataOutputStream out = fs.create(new Path(root, FILE), true)) {
                out.write(JSON.writeValueAsBytes(holder));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
