package org.ftl.sweep;

import org.ftl.runs.RunFolder;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.Json;
import org.ftl.OutOfResource;
import org.ftl.prune.Candidate;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code checkpoints/}: one JSON file per finished candidate ({@link Checkpoint}) and {@code _key.json},
 * what the run is a run of ({@link RunIdentity}). Every file appears whole or not at all: it is written under a
 * unique temporary name and renamed into place, so two writers of the same candidate (a task Spark retried, or
 * an executor and the driver) cannot mix their bytes, and whichever rename lands first stays — both hold a valid
 * result. Executors write through Hadoop's FileSystem, so the folder may be on HDFS. Removed once the run has its
 * {@code _SUCCESS}: metrics.csv and best/ then hold everything.
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    static final String KEY = "_key.json";
    private static final String SUFFIX = ".json";
    private static final ObjectWriter COMPACT = Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

    private final String dir;
    private final Configuration conf;

    private Checkpoints(String dir, Configuration conf) {
        this.dir = dir;
        this.conf = conf;
    }

    static Checkpoints of(RunFolder run, Configuration conf) {
        return new Checkpoints(run.path(DIR), conf);
    }

    /** The folder, fully qualified: what executors are given. */
    String dir() {
        return dir;
    }

    void writeKey(RunIdentity identity) {
        write(dir, KEY, bytes(identity), conf);
    }

    /** The identity a run folder was started with; null when it has none (older runs) or it cannot be read. */
    static RunIdentity readKey(RunFolder run, Configuration conf) {
        byte[] bytes = readIfExists(new Path(run.path(DIR), KEY), conf);
        if (bytes == null) {
            return null;
        }
        try {
            return Json.MAPPER.readValue(bytes, RunIdentity.class);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The checkpoints of the plan's candidates that are here. One that cannot be read (another format, a file
     * someone edited) is left out with a line on the console, and so computed again.
     */
    Map<String, Checkpoint> read(List<Candidate> plan, PrintStream console) {
        Map<String, Checkpoint> found = new LinkedHashMap<>();
        for (Candidate c : plan) {
            Path file = new Path(dir, c.id() + SUFFIX);
            byte[] bytes = readIfExists(file, conf);
            if (bytes == null) {
                continue;
            }
            try {
                Checkpoint cp = Json.MAPPER.readValue(bytes, Checkpoint.class);
                if (cp.format() != Checkpoint.FORMAT || !c.id().equals(cp.candidate())) {
                    throw new IOException("format " + cp.format() + " of candidate " + cp.candidate());
                }
                found.put(c.id(), cp);
            } catch (IOException | RuntimeException e) {
                console.println("checkpoint " + file + " not used (computed again): " + e.getMessage());
            }
        }
        return found;
    }

    /** Checkpoint files here, whatever candidate (for progress and tests). */
    static int count(String runDir, Configuration conf) {
        try {
            Path d = new Path(runDir, DIR);
            FileSystem fs = d.getFileSystem(conf);
            int n = 0;
            for (FileStatus s : fs.listStatus(d)) {
                String name = s.getPath().getName();
                n += name.endsWith(SUFFIX) && !name.startsWith("_") && !name.startsWith(".") ? 1 : 0;
            }
            return n;
        } catch (FileNotFoundException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean has(String candidate) {
        Path file = new Path(dir, candidate + SUFFIX);
        try {
            return file.getFileSystem(conf).exists(file);
        } catch (IOException e) {
            return false;
        }
    }

    /** The driver's write (of a failed prune, or of a result whose executor could not write it). */
    void write(Checkpoint checkpoint) {
        write(dir, checkpoint.candidate() + SUFFIX, bytes(checkpoint), conf);
    }

    /**
     * An executor's write, right where the candidate finished. A failure here must not fail the candidate: it
     * is one line on the executor's log, and the driver writes the checkpoint after the round.
     */
    static void tryWrite(String dir, Checkpoint checkpoint, Configuration conf) {
        try {
            write(dir, checkpoint.candidate() + SUFFIX, bytes(checkpoint), conf);
        } catch (RuntimeException e) {
            System.err.println("ftl: checkpoint of " + checkpoint.candidate() + " not written here (the driver will): "
                    + e.getMessage());
        }
    }

    /** Removes the folder (after {@code _SUCCESS}). */
    void delete() {
        try {
            Path d = new Path(dir);
            d.getFileSystem(conf).delete(d, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(Object value) {
        try {
            return COMPACT.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(String dir, String name, byte[] bytes, Configuration conf) {
        Path target = new Path(dir, name);
        FileSystem fs;
        try {
            fs = target.getFileSystem(conf);
        } catch (IOException | RuntimeException e) {
            throw OutOfResource.whenWriting(target.toString(), e);
        }
        org.ftl.AtomicFiles.write(fs, target, org.ftl.AtomicFiles.Existing.KEEP, out -> out.write(bytes));
    }

    private static byte[] readIfExists(Path file, Configuration conf) {
        try {
            FileSystem fs = file.getFileSystem(conf);
            try (InputStream in = fs.open(file)) {
                return in.readAllBytes();
            }
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
