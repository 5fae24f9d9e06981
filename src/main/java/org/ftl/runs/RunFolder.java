package org.ftl.runs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.FtlError;
import org.ftl.OutOfResource;
import org.ftl.data.DataFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code RUNS/<run-id>/}: every file is written under a temporary name and renamed into place, and
 * {@code _SUCCESS} is written last; a folder without it is an unfinished run. Run ids never repeat, so runs
 * never overwrite each other. Any Hadoop path works (local, HDFS, S3A).
 */
public final class RunFolder {
    public static final String SUCCESS = "_SUCCESS";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    private final FileSystem fs;
    private final Path dir;
    private final String id;

    private RunFolder(FileSystem fs, Path dir, String id) {
        // Hadoop's local file system writes a .crc beside every file: noise in a folder people read
        fs.setWriteChecksum(false);
        this.fs = fs;
        this.dir = dir;
        this.id = id;
    }

    /** A new, empty run folder named {@code <UTC time>-<name>}, with a suffix if that exists already. */
    public static RunFolder create(String runsRoot, String name, Configuration conf) {
        Path root = new Path(runsRoot);
        FileSystem fs = DataFiles.fileSystem(runsRoot, conf);
        try {
            DataFiles.mkdirs(fs, root);
            String base = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP) + "-" + name;
            for (int n = 1; ; n++) {
                String id = n == 1 ? base : base + "-" + n;
                Path dir = new Path(root, id);
                if (!fs.exists(dir)) {
                    DataFiles.mkdirs(fs, dir);
                    return new RunFolder(fs, fs.makeQualified(dir), id);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            if (OutOfResource.kindOf(e).isPresent() || !(e instanceof IOException)) {
                throw OutOfResource.whenWriting(runsRoot, e);
            }
            throw new FtlError(runsRoot + ": cannot create a run folder: " + e.getMessage(), e);
        }
    }

    /** An existing run folder (finished or not). */
    public static RunFolder open(String path, Configuration conf) {
        try {
            Path dir = new Path(path);
            FileSystem fs = DataFiles.fileSystem(path, conf);
            if (!fs.isDirectory(dir)) {
                throw new FtlError(path + ": no such run folder");
            }
            return new RunFolder(fs, fs.makeQualified(dir), dir.getName());
        } catch (IOException e) {
            throw new FtlError(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Run folders without {@code _SUCCESS} directly under the root, newest first (ids start with their UTC start
     * time); none if the root does not exist.
     */
    public static List<RunFolder> unfinished(String runsRoot, Configuration conf) {
        try {
            Path root = new Path(runsRoot);
            FileSystem fs = DataFiles.fileSystem(runsRoot, conf);
            if (!fs.isDirectory(root)) {
                return List.of();
            }
            List<RunFolder> out = new ArrayList<>();
            for (FileStatus s : fs.listStatus(root)) {
                if (s.isDirectory() && !s.getPath().getName().startsWith(".") && !fs.exists(new Path(s.getPath(), SUCCESS))) {
                    out.add(new RunFolder(fs, fs.makeQualified(s.getPath()), s.getPath().getName()));
                }
            }
            out.sort(Comparator.comparing(RunFolder::id, Comparator.comparing(RunFolder::stamp)
                    .thenComparingInt(String::length).thenComparing(Comparator.naturalOrder())).reversed());
            return out;
        } catch (IOException e) {
            throw new FtlError(runsRoot + ": cannot list run folders: " + e.getMessage(), e);
        }
    }

    private static String stamp(String id) {
        return id.length() >= 15 ? id.substring(0, 15) : id;
    }

    public String id() {
        return id;
    }

    public String path() {
        return dir.toString();
    }

    public String path(String child) {
        return new Path(dir, child).toString();
    }

    public boolean isFinished() {
        return exists(SUCCESS);
    }

    public boolean exists(String child) {
        try {
            return fs.exists(new Path(dir, child));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes the file under a temporary name and renames it into place. A failed write (a full disk, no
     * permission) removes its temporary file and is an {@link OutOfResource} naming the target.
     */
    public void write(String child, byte[] bytes) {
        org.ftl.AtomicFiles.write(fs, new Path(dir, child), bytes);
    }

    public void write(String child, String text) {
        write(child, text.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] read(String child) {
        return DataFiles.read(path(child), fs.getConf());
    }

    /** Removes the folder, for one that never got its first file; a failure to do so is not reported. */
    public void deleteQuietly() {
        DataFiles.deleteQuietly(fs, dir);
    }

    /** Marks the run finished: call after everything else is written. */
    public void finish() {
        write(SUCCESS, new byte[0]);
    }
}
