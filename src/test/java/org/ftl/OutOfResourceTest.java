package org.ftl;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.ftl.data.DataFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What counts as running out of a resource, on the errors the libraries really throw: Hadoop's FSError of a full
 * disk (written to /dev/full), the JVM's and JavaCPP's OutOfMemoryErrors, and what the test file system fakes.
 */
class OutOfResourceTest {
    @TempDir
    java.nio.file.Path dir;

    @AfterEach
    void emptyDisk() {
        FullDiskFileSystem.reset();
    }

    /** What Hadoop's local file system throws when the device is full: the real FSError, from /dev/full. */
    private static FSError fullDeviceError() throws IOException {
        RawLocalFileSystem fs = new RawLocalFileSystem();
        fs.initialize(java.net.URI.create("file:///"), new Configuration());
        // append: Hadoop then opens the device as it is, without setting its mode
        FSDataOutputStream out = fs.append(new Path("/dev/full"));
        try {
            out.write(new byte[8192]);
            out.hflush();
            out.close();
        } catch (FSError e) {
            return e;
        }
        throw new AssertionError("writing /dev/full did not fail");
    }

    @Test
    void hadoopsFullDiskErrorIsDiskFullAndAWriteNamesItsPath() throws IOException {
        FSError e = fullDeviceError();
        assertEquals(Optional.of(OutOfResource.Kind.DISK_FULL), OutOfResource.kindOf(e));
        RuntimeException w = OutOfResource.whenWriting("file:/runs/r1/report.html", e);
        OutOfResource o = assertInstanceOf(OutOfResource.class, w);
        assertEquals("out of disk space: cannot write file:/runs/r1/report.html (No space left on device)", o.getMessage());
        assertEquals("file:/runs/r1/report.html", o.path());
        // wrapped the way Spark hands a task's failure to the driver, it is still found
        Exception job = new Exception("Job aborted due to stage failure", new IllegalStateException("task failed", e));
        assertEquals(Optional.of(OutOfResource.Kind.DISK_FULL), OutOfResource.kindOf(job));
    }

    @Test
    void otherIoErrorsStayIoErrorsNamingThePath() {
        IOException refused = new IOException("Connection refused");
        assertEquals(Optional.empty(), OutOfResource.kindOf(refused));
        RuntimeException w = OutOfResource.whenWriting("hdfs://nn/runs/x", refused);
        assertInstanceOf(UncheckedIOException.class, w);
        assertEquals("cannot write hdfs://nn/runs/x: Connection refused", w.getMessage());
        IllegalStateException bug = new IllegalStateException("a bug");
        assertEquals(bug, OutOfResource.whenWriting("x", bug));
        StackOverflowError error = new StackOverflowError();
        assertEquals(error, assertThrows(StackOverflowError.class, () -> OutOfResource.whenWriting("x", error)));
    }

    @Test
    void theJvmsHeapErrorIsHeapAndJavaCppsLimitsAreNativeMemory() {
        OutOfMemoryError heap = assertThrows(OutOfMemoryError.class,
                () -> new long[(int) Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 8 + 1024)].hashCode());
        assertEquals(Optional.of(OutOfResource.Kind.HEAP), OutOfResource.kindOf(heap));
        String line = OutOfResource.memory(new RuntimeException("decode failed", heap), "the decode stage",
                "raise sweep.image-partitions (4)").getMessage();
        assertTrue(line.startsWith("out of memory: the Java heap is full during the decode stage (Java heap space; this JVM's"
                + " -Xmx is "), line);
        assertTrue(line.contains("FTL_JAVA_OPTS=-Xmx") && line.endsWith(", or raise sweep.image-partitions (4)"), line);

        OutOfMemoryError javacpp = assertThrows(OutOfMemoryError.class,
                () -> new org.bytedeco.javacpp.BytePointer(org.bytedeco.javacpp.Pointer.maxBytes() + 1));
        assertEquals(Optional.of(OutOfResource.Kind.NATIVE_MEMORY), OutOfResource.kindOf(javacpp));
        String n = OutOfResource.memory(javacpp, null, null).getMessage();
        assertTrue(n.startsWith("out of native memory (Failed to allocate memory within limits: totalBytes ("), n);
        assertTrue(n.contains("org.bytedeco.javacpp.maxphysicalbytes = ") && n.contains("org.bytedeco.javacpp.maxbytes = ")
                && n.contains("spark.executor.memoryOverhead"), n);
    }

    @Test
    void whatSparkSaysOfExecutorsAndOfTooSmallAHeapIsMemory() {
        // the texts Spark 3.5 writes (TaskSetManager, UnifiedMemoryManager), when the error itself did not travel
        Exception lost = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 0 in stage 3.0 failed "
                + "4 times, most recent failure: Lost task 0.3 in stage 3.0 (TID 9) (10.0.0.2 executor 2): ExecutorLostFailure "
                + "(executor 2 exited caused by one of the running tasks) Reason: Command exited with code 52");
        assertEquals(Optional.of(OutOfResource.Kind.HEAP), OutOfResource.kindOf(lost));
        Exception relayed = new org.apache.spark.SparkException("Job aborted due to stage failure: Task 1 in stage 2.0 failed 1 "
                + "times, most recent failure: Lost task 1.0 in stage 2.0 (TID 5) (host executor driver): "
                + "java.lang.OutOfMemoryError: Physical memory usage is too high: physicalBytes (9G) > maxPhysicalBytes (8G)");
        assertEquals(Optional.of(OutOfResource.Kind.NATIVE_MEMORY), OutOfResource.kindOf(relayed));
        Exception small = new IllegalArgumentException("System memory 259522560 must be at least 471859200. Please increase "
                + "heap size using the --driver-memory option or spark.driver.memory in Spark configuration.");
        assertEquals(Optional.of(OutOfResource.Kind.HEAP), OutOfResource.kindOf(small));
        assertEquals(Optional.empty(), OutOfResource.kindOf(new org.apache.spark.SparkException("Job aborted due to stage "
                + "failure: java.lang.IllegalStateException: a bug")));
    }

    @Test
    void theTestFileSystemFillsLikeALocalDiskAndLeavesNoTemporaryFile() throws IOException {
        Configuration conf = new Configuration();
        String root = FullDiskFileSystem.uri(dir);
        DataFiles.write(root + "/before.txt", new byte[10], conf);
        FullDiskFileSystem.fillAt("report\\.html", 1);
        OutOfResource o = assertThrows(OutOfResource.class, () -> DataFiles.write(root + "/report.html", new byte[100], conf));
        assertEquals(OutOfResource.Kind.DISK_FULL, o.kind());
        assertEquals(root + "/report.html", o.path());
        assertInstanceOf(FSError.class, o.getCause(), "the error Hadoop's own local stream throws");
        assertThrows(OutOfResource.class, () -> DataFiles.write(root + "/later.txt", new byte[1], conf), "full stays full");
        try (Stream<java.nio.file.Path> s = Files.list(dir)) {
            assertEquals(java.util.List.of("before.txt"), s.map(p -> p.getFileName().toString()).toList(),
                    "no temporary file left, the first file intact");
        }
        FullDiskFileSystem.free();
        DataFiles.write(root + "/report.html", new byte[100], conf);
        assertEquals(100, Files.size(dir.resolve("report.html")));
    }

    @Test
    void aFolderThatCannotBeWrittenIsPermissionDeniedNamingIt() throws IOException {
        Configuration conf = new Configuration();
        Files.createDirectories(dir.resolve("locked"));
        FullDiskFileSystem.readOnly(dir.resolve("locked"));
        String locked = FullDiskFileSystem.uri(dir.resolve("locked"));
        OutOfResource inside = assertThrows(OutOfResource.class, () -> DataFiles.write(locked + "/a.txt", new byte[1], conf));
        assertEquals(OutOfResource.Kind.NO_PERMISSION, inside.kind());
        assertTrue(inside.getMessage().startsWith("permission denied: cannot write " + locked + "/a.txt ("), inside.getMessage());
        assertTrue(inside.getMessage().contains("Permission denied"), inside.getMessage());
        // a folder that cannot be made: Hadoop's mkdirs only answers false
        FileSystem fs = DataFiles.fileSystem(locked, conf);
        OutOfResource below = assertThrows(OutOfResource.class, () -> DataFiles.write(locked + "/sub/b.txt", new byte[1], conf));
        assertEquals(OutOfResource.Kind.NO_PERMISSION, below.kind());
        assertTrue(below.getMessage().endsWith("/locked/sub/b.txt (cannot create folder " + fs.makeQualified(new Path(locked
                + "/sub")) + " in " + fs.makeQualified(new Path(locked)) + ": permission denied or a read-only file system)"),
                below.getMessage());
        assertFalse(fs.exists(new Path(locked + "/sub")));
        try (Stream<java.nio.file.Path> s = Files.list(dir.resolve("locked"))) {
            assertEquals(0, s.count());
        }
    }
}
