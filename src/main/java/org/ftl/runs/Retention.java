package org.ftl.runs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.ftl.data.DataFiles;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the newest {@code runs.keep} run folders of one config name under a runs root and deletes the older
 * ones — finished or left unfinished by a crash — except the run being written and the runs the history marks
 * as the current best. Runs of other names are not touched. A folder loses its {@code _SUCCESS} first, so a
 * deletion that stops half-way never leaves something that looks like a finished run. Called under the runs
 * root's lock, so no other sweep is writing (or resuming) any of these folders.
 */
public final class Retention {
    private static final String SUCCESS = "_SUCCESS";

    private Retention() {
    }

    /** The run ids deleted, oldest first; each is also one console line. */
    public static List<String> apply(String runsRoot, Configuration conf, String name, int keep, String currentRun,
                                     Set<String> protectedRuns, PrintStream console) {
        if (keep <= 0) {
            return List.of();
        }
        Path root = new Path(runsRoot);
        try {
            FileSystem fs = DataFiles.fileSystem(runsRoot, conf);
            List<RunId> runs = runsOf(fs, root, name);
            runs.sort(Comparator.reverseOrder());
            List<String> deleted = new ArrayList<>();
            for (int i = keep; i < runs.size(); i++) {
                RunId run = runs.get(i);
                if (run.id().equals(currentRun)) {
                    continue;
                }
                Path dir = new Path(root, run.id());
                if (protectedRuns.contains(run.id())) {
                    console.printf("retention: kept %s, older than the last %d runs of %s: the history marks it the current best%n",
                            dir, keep, name);
                    continue;
                }
                boolean finished = fs.exists(new Path(dir, SUCCESS));
                if (finished) {
                    fs.delete(new Path(dir, SUCCESS), false);
                }
                fs.delete(dir, true);
                console.printf("retention: deleted %s (%s; runs.keep = %d)%n", dir, finished ? "finished" : "unfinished", keep);
                deleted.add(run.id());
            }
            deleted.sort(null);
            return deleted;
        } catch (IOException e) {
            throw new UncheckedIOException("retention in " + runsRoot + ": " + e.getMessage(), e);
        }
    }

    /** A run folder's id, ordered by its start time (the id's prefix) and then its same-second suffix. */
    record RunId(String id, String stamp, int suffix) implements Comparable<RunId> {
        @Override
        public int compareTo(RunId o) {
            int c = stamp.compareTo(o.stamp);
            return c != 0 ? c : Integer.compare(suffix, o.suffix);
        }
    }

    /**
     * The config name a run folder says it belongs to (run.json, or an unfinished run's checkpoints/_key.json):
     * "a-2" may be the second run of "a" in one second or a run of "a-2". {@code otherwise} if it says nothing.
     */
    private static String recordedName(FileSystem fs, Path dir, String otherwise) {
        for (String f : new String[] {"run.json", "checkpoints/_key.json"}) {
            try (java.io.InputStream in = fs.open(new Path(dir, f))) {
                com.fasterxml.jackson.databind.JsonNode n = org.ftl.Json.MAPPER.readTree(in).get("name");
                if (n != null && n.isTextual()) {
                    return n.asText();
                }
            } catch (IOException | RuntimeException e) {
                // not there or not readable: try the next
            }
        }
        return otherwise;
    }

    /** The run folders of one config name: {@code yyyyMMdd-HHmmss-<name>} and {@code …-<name>-<n>}. */
    static List<RunId> runsOf(FileSystem fs, Path root, String name) throws IOException {
        Pattern p = Pattern.compile("(\\d{8}-\\d{6})-" + Pattern.quote(name) + "(?:-(\\d+))?");
        List<RunId> out = new ArrayList<>();
        if (!fs.exists(root)) {
            return out;
        }
        for (FileStatus s : fs.listStatus(root)) {
            Matcher m = p.matcher(s.getPath().getName());
            if (s.isDirectory() && m.matches() && name.equals(recordedName(fs, s.getPath(), name))) {
                out.add(new RunId(s.getPath().getName(), m.group(1), m.group(2) == null ? 1 : Integer.parseInt(m.group(2))));
            }
        }
        return out;
    }
}
