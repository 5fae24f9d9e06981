package org.ftl.decide;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.ftl.FtlError;
import org.ftl.OutOfResource;
import org.ftl.data.DataFiles;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

/** Reading and writing metrics tables as CSV (one file) and Parquet, through Spark. */
public final class MetricsFiles {
    private MetricsFiles() {
    }

    /**
     * A metrics CSV with a header: the standard columns must be there (any order); extra columns are kept.
     * Values are cast to the contract's types; score and rank may be absent (they are recomputed).
     */
    public static Dataset<Row> readCsv(SparkSession spark, String path) {
        Dataset<Row> raw;
        try {
            raw = spark.read().option("header", "true").option("mode", "FAILFAST").option("multiLine", "true")
                    .option("escape", "\"").csv(path);
        } catch (Exception e) {
            throw new FtlError(path + ": cannot read as CSV: " + e.getMessage(), e);
        }
        List<String> have = List.of(raw.columns());
        List<String> missing = new ArrayList<>();
        for (StructField f : MetricsColumns.STANDARD.fields()) {
            if (!have.contains(f.name()) && !f.name().equals("score") && !f.name().equals("rank")
                    && !f.name().equals("error")) {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            throw new FtlError(path + ": missing metrics column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
        List<Column> cols = new ArrayList<>();
        for (StructField f : MetricsColumns.all().fields()) {
            cols.add(have.contains(f.name()) ? col(f.name()).cast(f.dataType()).as(f.name())
                    : lit(null).cast(f.dataType()).as(f.name()));
        }
        for (String c : have) {
            if (!List.of(MetricsColumns.all().fieldNames()).contains(c)) {
                cols.add(col(c));
            }
        }
        return raw.select(cols.toArray(new Column[0]));
    }

    /**
     * One CSV file with a header at {@code path} (Spark writes a folder; its single part is moved into place). The
     * folder Spark writes is removed whether or not the write succeeds; a full disk or a folder that cannot be
     * written is an {@link OutOfResource} naming the file.
     */
    public static void writeCsv(Dataset<Row> table, String path, Configuration conf) {
        Path target = new Path(path);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".parts");
        FileSystem fs = DataFiles.fileSystem(path, conf);
        try {
            table.coalesce(1).write().mode(SaveMode.Overwrite).option("header", "true").option("escape", "\"")
                    .csv(tmp.toString());
            fs.setWriteChecksum(false);
            FileStatus part = null;
            for (FileStatus s : fs.listStatus(tmp)) {
                if (s.getPath().getName().startsWith("part-")) {
                    part = s;
                }
            }
            if (part == null) {
                throw new IOException("Spark wrote no part file in " + tmp);
            }
            fs.delete(target, false);
            if (!fs.rename(part.getPath(), target)) {
                throw new IOException("rename to " + target + " failed");
            }
        } catch (Exception | Error e) {
            throw OutOfResource.whenWriting(path, e);
        } finally {
            DataFiles.deleteQuietly(fs, tmp);
        }
    }

    /**
     * The table as a Parquet folder at {@code path}: written beside it under a temporary name and renamed into
     * place, so a folder that is there is whole, and one a failed sweep left behind is replaced (a resumed run
     * writes its table again).
     */
    public static void writeParquet(Dataset<Row> table, String path) {
        Configuration conf = table.sparkSession().sparkContext().hadoopConfiguration();
        Path target = new Path(path);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        FileSystem fs = DataFiles.fileSystem(path, conf);
        try {
            table.coalesce(1).write().mode(SaveMode.Overwrite).parquet(tmp.toString());
            fs.delete(target, true);
            if (!fs.rename(tmp, target)) {
                throw new IOException("rename " + tmp + " -> " + target + " failed");
            }
        } catch (Exception | Error e) {
            throw OutOfResource.whenWriting(path, e);
        } finally {
            DataFiles.deleteQuietly(fs, tmp);
        }
    }
}
