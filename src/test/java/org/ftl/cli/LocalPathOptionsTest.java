package org.ftl.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tile and label work on local folders: an hdfs:// or s3a:// path is a usage error, not a folder named "hdfs:". */
class LocalPathOptionsTest {
    @Test
    void remotePathsAreRefusedByTheLocalDataTools(@TempDir Path dir) {
        CliTest.Run tile = new CliTest.Run("tile", "--images", dir.toString(), "--masks", dir.toString(), "--size", "32",
                "--out", "hdfs://namenode:8020/ftl/data");
        assertEquals(ExitCode.USAGE, tile.code, tile.err);
        assertTrue(tile.err.contains("hdfs://namenode:8020/ftl/data: this command reads and writes local files only"), tile.err);

        CliTest.Run label = new CliTest.Run("label", "--images", "s3a://bucket/photos", "--out", dir.resolve("m").toString());
        assertEquals(ExitCode.USAGE, label.code, label.err);
        assertTrue(label.err.contains("s3a://bucket/photos"), label.err);
        assertFalse(Files.exists(Path.of("hdfs:")) || Files.exists(Path.of("s3a:")), "no local folder named after a scheme");
    }

    @Test
    void fileUrisAreLocalPaths(@TempDir Path dir) {
        // a file: URI names the folder itself: a missing one is reported as such (exit 3), not as a usage error
        String uri = new File(dir.toFile(), "missing").toURI().toString();
        CliTest.Run label = new CliTest.Run("label", "--images", uri, "--out", dir.resolve("m").toString());
        assertEquals(ExitCode.INPUT, label.code, label.err);
        assertTrue(label.err.contains(dir.resolve("missing").toString()), label.err);
    }
}
