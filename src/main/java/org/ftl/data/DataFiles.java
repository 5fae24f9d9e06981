package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.FtlError;
import org.ftl.OutOfResource;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Files read through Hadoop's FileSystem, so the same code reads {@code file://}, {@code hdfs://} and
 * {@code s3a://} data. Plain local paths work too.
 */
public final class DataFiles {
    private DataFiles() {
    }

    public static FileSystem fileSystem(String path, Configuration conf) {
        try {
            return new Path(path).getFileSystem(conf);
        } catch (IOException e) {
            throw new FtlError(path + ": cannot open its file system: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a scheme Hadoop knows whose classes are missing (s3a:// without hadoop-aws) fails unchecked
            Throwable cause = e.getCause() instanceof ClassNotFoundException ? e.getCause() : e;
            throw new FtlError(path + ": cannot open its file system (" + cause.getMessage() + "); "
                    + (path.startsWith("s3a:") ? "S3A needs org.apache.hadoop:hadoop-aws and the AWS SDK on the classpath"
                    : "is its Hadoop file system on the classpath?"), e);
        }
    }

    /** The path with its file system's scheme and authority, as listings return paths (file:/…, hdfs://nn/…). */
    public static String qualified(String path, Configuration conf) {
        return fileSystem(path, conf).makeQualified(new Path(path)).toString();
    }

    public static boolean isDirectory(String path, Configuration conf) {
        try {
            return fileSystem(path, conf).getFileStatus(new Path(path)).isDirectory();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new FtlError(path + ": " + e.getMessage(), e);
        }
    }

    /** Sub-folders, sorted by name; hidden ones (starting with '.' or '_') are left out. */
    public static List<String> folders(String path, Configuration conf) {
        return list(path, conf, true);
    }

    /** Files, sorted by name; hidden ones (starting with '.' or '_') are left out. */
    public static List<String> files(String path, Configuration conf) {
        return list(path, conf, false);
    }

    private static List<String> list(String path, Configuration conf, boolean folders) {
        try {
            FileStatus[] all = fileSystem(path, conf).listStatus(new Path(path));
            List<String> out = new ArrayList<>();
            Arrays.stream(all)
                    .filter(s -> s.isDirectory() == folders)
                    .filter(s -> !s.getPath().getName().startsWith(".") && !s.getPath().getName().startsWith("_"))
                    .sorted(Comparator.comparing(s -> s.getPath().getName()))
                    .forEach(s -> out.add(s.getPath().toString()));
            return out;
        } catch (FileNotFoundException e) {
            throw new FtlError(path + ": no such folder");
        } catch (IOException e) {
            throw new FtlError(path + ": cannot list: " + e.getMessage(), e);
        }
    }

    /** True when the path is an existing file (not a folder). */
    public static boolean isFile(String path, Configuration conf) {
        try {
            return fileSystem(path, conf).getFileStatus(new Path(path)).isFile();
        } catch (FileNotFoundException e) {
            return false;
        } catch (IOException e) {
            throw new FtlError(path + ": " + e.getMessage(), e);
        }
    }

    public static boolean exists(String path, Configuration conf) {
        try {
            return fileSystem(path, conf).exists(new Path(path));
        } catch (IOException e) {
            throw new FtlError(path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes the file under a temporary name beside it and renames it into place, so a reader never sees half
     * a file (a rename is atomic on HDFS and local disks; on S3A it is a copy, still never a partial object).
     * A failed write removes its temporary file; a full disk or a folder that cannot be written is an
     * {@link OutOfResource} naming the file.
     */
    public static void write(String path, byte[] bytes, Configuration conf) {
        org.ftl.AtomicFiles.write(fileSystem(path, conf), new Path(path), path, org.ftl.AtomicFiles.Existing.REPLACE,
                out -> out.write(bytes));
    }

    /**
     * Makes the folder and its parents. Hadoop's local file system answers {@code false} without a reason when it
     * cannot (no write permission on a parent, a read-only file system); that is an {@link java.nio.file.AccessDeniedException}
     * here, unless a file stands where a folder should be.
     */
    public static void mkdirs(FileSystem fs, Path dir) throws IOException {
        org.ftl.AtomicFiles.mkdirs(fs, dir);
    }

    /** Removes a temporary file or folder after a failed write; the write's failure is the one to report. */
    public static void deleteQuietly(FileSystem fs, Path path) {
        org.ftl.AtomicFiles.deleteQuietly(fs, path);
    }

    /** True when the path is on this machine's disk (no scheme, or file:), where java.io can open it. */
    public static boolean isLocal(String path, Configuration conf) {
        return fileSystem(path, conf) instanceof LocalFileSystem;
    }

    /**
     * The file as a local one, for libraries that open local files only (the HDF5 library): the file itself
     * when it is local, else a copy in a temporary folder (deleted when the JVM exits) under the same name.
     */
    public static java.nio.file.Path localCopy(String path, Configuration conf) {
        FileSystem fs = fileSystem(path, conf);
        if (fs instanceof LocalFileSystem local) {
            return local.pathToFile(new Path(path)).toPath();
        }
        byte[] bytes = read(path, conf);
        try {
            java.nio.file.Path dir = Files.createTempDirectory("ftl-copy");
            java.nio.file.Path copy = dir.resolve(name(path));
            // deleted in the reverse order of registration: the file, then its folder
            dir.toFile().deleteOnExit();
            copy.toFile().deleteOnExit();
            Files.write(copy, bytes);
            return copy;
        } catch (IOException e) {
            throw OutOfResource.whenWriting(System.getProperty("java.io.tmpdir") + " (a local copy of " + path + ")", e);
        }
    }

    /**
     * The whole file. Local files are read without Hadoop's checksum layer: it looks for a {@code .NAME.crc}
     * beside each file and builds that name as a URI, which fails for names with a colon ({@code x:y.png}),
     * and user data has no checksum files anyway.
     */
    public static byte[] read(String path, Configuration conf) {
        FileSystem fs = fileSystem(path, conf);
        if (fs instanceof ChecksumFileSystem checksummed) {
            fs = checksummed.getRawFileSystem();
        }
        try (FSDataInputStream in = fs.open(new Path(path))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new FtlError(path + ": no such file");
        } catch (IOException e) {
            throw new FtlError(path + ": cannot read: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) { // a name Hadoop's Path cannot take
            throw new FtlError(path + ": cannot open this file name: " + e.getMessage(), e);
        }
    }

    public static String name(String path) {
        return new Path(path).getName();
    }

    /** The name without its last extension: what pairs an image with its mask. */
    public static String baseName(String path) {
        String n = name(path);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    public static String extension(String path) {
        String n = name(path);
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    }

    public static String child(String parent, String name) {
        return new Path(parent, name).toString();
    }
}
