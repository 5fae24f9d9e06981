package org.ftl.data;

import org.ftl.FtlError;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A folder built under a hidden temporary sibling and moved into place only when complete, so no reader
 * ever sees a half-written folder under the real name: an interrupted or failed job leaves at most a
 * hidden {@code .NAME.staging-…} sibling, which is removed on the way out when the JVM still can.
 *
 * <p>An existing target is replaced only when the caller allows it and it holds nothing but entries the
 * caller owns (e.g. the folders of a data layout): a tool that replaces a folder must never delete files it
 * did not write. The old folder is moved aside and deleted only after the new one is in place.
 */
public final class StagedFolder implements AutoCloseable {
    private final Path target;
    private final Path staging;
    private final Thread cleanupOnExit;
    /** Writes hold it shared; abandoning takes it exclusively, so no write is half-way when the folder goes. */
    private final ReentrantReadWriteLock writes = new ReentrantReadWriteLock();
    private volatile boolean abandoned;
    private boolean committed;

    private StagedFolder(Path target, Path staging) {
        this.target = target;
        this.staging = staging;
        this.cleanupOnExit = new Thread(this::abandon, "staged-folder-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupOnExit);
    }

    /**
     * Checks that {@code target} may be written and creates the staging folder beside it.
     *
     * @param owned          the only entry names an existing, non-empty target may hold to be replaced
     * @param replace        whether such a target may be replaced
     * @param howToReplace   what to tell the user when it may not, e.g. "pass --overwrite to replace it"
     * @throws FtlError naming the target when it is a file, holds other entries, or may not be replaced
     */
    public static StagedFolder begin(Path target, Set<String> owned, boolean replace, String howToReplace) {
        Path t = target.toAbsolutePath().normalize();
        Path parent = t.getParent();
        if (parent == null) {
            throw new FtlError(t + ": cannot write a data layout at the file system root");
        }
        if (Files.exists(t)) {
            if (!Files.isDirectory(t)) {
                throw new FtlError(t + ": exists and is not a folder");
            }
            List<String> entries = entries(t);
            List<String> foreign = entries.stream().filter(e -> !owned.contains(e)).sorted().toList();
            if (!foreign.isEmpty()) {
                throw new FtlError(t + ": not empty and not only a data layout (it holds " + foreign.get(0)
                        + (foreign.size() > 1 ? " and " + (foreign.size() - 1) + " more" : "")
                        + "); choose a new or empty folder");
            }
            if (!entries.isEmpty() && !replace) {
                List<String> sorted = new ArrayList<>(entries);
                Collections.sort(sorted);
                throw new FtlError(t + ": already holds a data layout (" + String.join("/, ", sorted) + "/); "
                        + howToReplace);
            }
        }
        try {
            Files.createDirectories(parent);
            // createTempDirectory would make it owner-only (0700); the data should get the usual permissions
            for (int attempt = 0; ; attempt++) {
                String token = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
                Path staging = parent.resolve("." + t.getFileName() + ".staging-" + token);
                try {
                    Files.createDirectory(staging);
                    return new StagedFolder(t, staging);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    if (attempt > 10) {
                        throw e;
                    }
                }
            }
        } catch (IOException e) {
            throw new FtlError(parent + ": cannot create a folder here: " + e, e);
        }
    }

    /**
     * Runs one write into the staging folder, unless the folder is being abandoned because the JVM is
     * shutting down (Ctrl-C, kill): then nothing is written and the result is false. Without this, a
     * worker still writing could re-create parts of the folder after the clean-up deleted it.
     */
    public boolean write(Runnable write) {
        writes.readLock().lock();
        try {
            if (abandoned) {
                return false;
            }
            write.run();
            return true;
        } finally {
            writes.readLock().unlock();
        }
    }

    /** Stops further writes, waits (briefly) for those under way, and deletes the staging folder. */
    private void abandon() {
        abandoned = true;
        boolean locked = false;
        try {
            locked = writes.writeLock().tryLock(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            deleteQuietly(staging);
        } finally {
            if (locked) {
                writes.writeLock().unlock();
            }
        }
    }

    /** The folder to write into; it becomes {@link #target()} on {@link #commit()}. */
    public Path staging() {
        return staging;
    }

    public Path target() {
        return target;
    }

    /** Moves the finished folder into place, replacing the old target (checked by {@link #begin}). */
    public void commit() {
        Path parent = target.getParent();
        Path old = null;
        try {
            if (Files.exists(target)) {
                old = parent.resolve("." + target.getFileName() + ".old-" + staging.getFileName().toString()
                        .replaceFirst(".*staging-", ""));
                Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
            }
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (old != null) {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                }
                throw e;
            }
            committed = true;
        } catch (IOException e) {
            throw new FtlError(target + ": cannot move the finished folder into place (from " + staging + "): " + e, e);
        }
        if (old != null) {
            try {
                deleteTree(old);
            } catch (IOException e) {
                throw new FtlError(target + ": written, but the copy it replaced could not be deleted: " + old + ": " + e, e);
            }
        }
    }

    /** Deletes the staging folder unless it was committed. */
    @Override
    public void close() {
        if (!committed) {
            deleteQuietly(staging);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: it does the same cleanup
        }
    }

    private static List<String> entries(Path dir) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            throw new FtlError(dir + ": cannot list: " + e, e);
        }
        return names;
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteTree(dir);
        } catch (IOException ignored) {
            // best effort: what is left is a hidden, clearly named staging folder
        }
    }

    /** Deletes a folder and everything in it, without following symbolic links out of it. */
    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
