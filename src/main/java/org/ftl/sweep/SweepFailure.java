package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.ftl.OutOfResource;
import org.ftl.data.DataFiles;
import org.ftl.job.FtlConfig;
import org.ftl.runs.History;
import org.ftl.runs.RunFolder;

import java.util.Optional;

/**
 * A sweep that ran out of a resource, as one line: what ran out and where, the setting to change, and what of the
 * run is kept — nothing, the run folder with its checkpoints for a resume, or the finished run.
 *
 * @param stage     the stage the sweep was in
 * @param runFolder the run folder it writes, or null before one was made
 * @param finished  whether the run folder's _SUCCESS was written
 */
record SweepFailure(FtlConfig config, String stage, RunFolder runFolder, boolean finished) {

    /** The line for {@code failure}, or null when running out of a resource is not why it failed. */
    OutOfResource explain(Throwable failure, Configuration hadoop) {
        Optional<OutOfResource.Kind> kind = OutOfResource.ranOut(failure);
        if (kind.isEmpty()) {
            return null;
        }
        OutOfResource found = OutOfResource.find(failure);
        String path = found == null ? null : found.path();
        String line;
        if (!kind.get().disk()) {
            line = OutOfResource.memory(failure, "the " + stage + " stage", relief()).getMessage();
        } else if (path != null) {
            line = found.getMessage() + ": " + diskAdvice(kind.get(), path, hadoop);
        } else if (!OutOfResource.inSparkJob(failure)) {
            line = OutOfResource.describe(failure) + " during the " + stage + " stage";
        } else {
            // no write of ours names a path: Spark's own files (shuffle, spill, broadcast blocks) filled the disk
            String local = SparkSessions.localDir();
            line = kind.get().words() + " in a Spark task during the " + stage + " stage (" + OutOfResource.reason(failure)
                    + "): Spark keeps its shuffle and spill files in spark.local.dir (" + local + "): free space there or "
                    + "set it to a disk with room (--set 'spark.conf.\"spark.local.dir\"=DIR')";
        }
        return OutOfResource.of(kind.get(), path, line + kept(hadoop), failure);
    }

    /** What changes the setting behind a path this sweep writes: runs.root's, backbone.cache's, or the path's own. */
    private String diskAdvice(OutOfResource.Kind kind, String path, Configuration hadoop) {
        String setting = under(path, config.runs().root(), hadoop) ? "runs.root (--runs, FTL_RUNS)"
                : under(path, config.backbone().cache(), hadoop) ? "backbone.cache" : null;
        if (kind == OutOfResource.Kind.NO_PERMISSION) {
            return "make it writable for user " + System.getProperty("user.name")
                    + (setting == null ? "" : " or set " + setting + " to a folder you can write");
        }
        return "free space on that disk" + (setting == null ? "" : " or set " + setting + " to one with room");
    }

    private static boolean under(String path, String root, Configuration hadoop) {
        try {
            String p = DataFiles.qualified(path, hadoop);
            String r = DataFiles.qualified(root, hadoop).replaceFirst("/+$", "");
            return p.equals(r) || p.startsWith(r + "/");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Settings that make the stage need less memory, as this sweep runs them. */
    private String relief() {
        return switch (stage) {
            case "backbone" -> "lower backbone.train.batch-size (" + config.backbone().train().batchSize() + ")";
            case "decode" -> "raise sweep.image-partitions (" + config.sweep().imagePartitions()
                    + ") so each task decodes fewer images";
            case "features+heads" -> "lower features.batch-size (" + config.features().batchSize()
                    + ") or sweep.variant-group-mb (" + config.sweep().variantGroupMb() + ")";
            default -> null;
        };
    }

    /** What of the run is safe: nothing was started, the run's checkpoints for a resume, or the finished run. */
    private String kept(Configuration hadoop) {
        if (runFolder == null) {
            return "; no run folder was made";
        }
        if (finished) {
            return "; " + runFolder.path() + " itself is finished (its _SUCCESS is written): only " + History.FILE
                    + " and retention were not updated";
        }
        String count;
        try {
            count = String.valueOf(Checkpoints.count(runFolder.path(), hadoop));
        } catch (RuntimeException e) {
            count = "its";
        }
        return "; " + runFolder.path() + " keeps " + count + " checkpointed candidate(s) and has no _SUCCESS: ftl sweep "
                + "--resume (runs.resume = true) finishes it";
    }
}
