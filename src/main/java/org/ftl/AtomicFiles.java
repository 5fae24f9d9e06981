package org.ftl;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The one way FTL writes a file: under a temporary name beside it, then renamed into place, so a reader never sees
 * half a file. A write that fails removes its temporary file; a full disk or no permission is an
 * {@link OutOfResource} naming the target. Local paths (java.nio) and any Hadoop file system (the run folder, its
 * checkpoints, the history, data and caches on HDFS or S3) go through here.
 */
public final class AtomicFiles {
    /** Writes the content to the temporary file's stream. */
    @FunctionalInterface
    public interface StreamWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** What a rename onto an existing file does. */
    public enum Existing {
        /** The new file replaces it (the run folder's files, the history, data). */
        REPLACE,
        /**
         * The file already there stays: two writers of the same content (a retried task and the driver writing one
         * candidate's checkpoint) must not mix bytes, and either file is whole.
         */
        KEEP
    }

    /** Writes the content to the given temporary file. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path tmp) throws IOException;
    }

    private AtomicFiles() {
    }

    public static void write(Path file, Writer writer) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                writer.writeTo(tmp);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            // a full disk or a folder this user cannot write is not a bug: it is named as such
            throw OutOfResource.whenWriting(file.toString(), e);
        }
    }

    public static void write(Path file, byte[] bytes) {
        write(file, tmp -> Files.write(tmp, bytes));
    }

    /**
     * Writes {@code target} on a Hadoop file system. A rename is atomic on HDFS and local disks (on S3A it is a copy,
     * still never a partial object); the local file system replaces an existing target in the rename, HDFS refuses,
     * so with {@link Existing#REPLACE} the old file goes first there (a reader in between finds none, never half of
     * one).
     */
    public static void write(FileSystem fs, org.apache.hadoop.fs.Path target, Existing existing, StreamWriter writer) {
        write(fs, target, target.toString(), existing, writer);
    }

    /** As above; a failure names the target as {@code shownAs} (the path as the user gave it). */
    public static void write(FileSystem fs, org.apache.hadoop.fs.Path target, String shownAs, Existing existing,
                             StreamWriter writer) {
        org.apache.hadoop.fs.Path parent = target.getParent();
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(parent,
                "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
        // Hadoop's local file system writes a .crc beside every file: noise in a folder people read
        fs.setWriteChecksum(false);
        try {
            if (parent != null) {
                mkdirs(fs, parent);
            }
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                writer.writeTo(out);
            }
            if (fs.rename(tmp, target)) {
                return;
            }
            if (!fs.exists(target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
            if (existing == Existing.REPLACE) {
                fs.delete(target, false);
                if (!fs.rename(tmp, target)) {
                    throw new IOException("rename " + tmp + " -> " + target + " failed");
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            throw OutOfResource.whenWriting(shownAs, e);
        } finally {
            deleteQuietly(fs, tmp);
        }
    }

    /** {@link #write(FileSystem, org.apache.hadoop.fs.Path, Existing, StreamWriter)} of bytes, replacing. */
    public static void write(FileSystem fs, org.apache.hadoop.fs.Path target, byte[] bytes) {
        write(fs, target, Existing.REPLACE, out -> out.write(bytes));
    }

    /**
     * Makes the folder and its parents. Hadoop's local file system answers {@code false} without a reason when it
     * cannot (no write permission on a parent, a read-only file system); that is an {@link java.nio.file.AccessDeniedException}
     * here, unless a file stands where a folder should be.
     */
    public static void mkdirs(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        if (fs.mkdirs(dir)) {
            return;
        }
        org.apache.hadoop.fs.Path p = dir;
        while (p != null && !fs.exists(p)) {
            p = p.getParent();
        }
        if (p != null && !fs.getFileStatus(p).isDirectory()) {
            throw new IOException("cannot create folder " + dir + ": " + p + " is a file");
        }
        throw new java.nio.file.AccessDeniedException(null, null, "cannot create folder " + dir + (p == null ? "" : " in " + p)
                + ": permission denied or a read-only file system");
    }

    /** Removes a temporary file or folder after a failed write; the write's failure is the one to report. */
    public static void deleteQuietly(FileSystem fs, org.apache.hadoop.fs.Path path) {
        try {
            fs.delete(path, true);
        } catch (IOException | RuntimeException | org.apache.hadoop.fs.FSError ignored) {
            // a disk that is full or gone may refuse this too: the failure being reported says why
        }
    }
}
