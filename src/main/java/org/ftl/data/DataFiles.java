package org.ftl.data;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.FtlError;

import java.io.FileNotFoundException;
import java.io.IOException;
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

    public static byte[] read(String path, Configuration conf) {
        try (FSDataInputStream in = fileSystem(path, conf).open(new Path(path))) {
            return in.readAllBytes();
        } catch (FileNotFoundException e) {
            throw new FtlError(path + ": no such file");
        } catch (IOException e) {
            throw new FtlError(path + ": cannot read: " + e.getMessage(), e);
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
