package org.ftl.sweep;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.ftl.data.DataFiles;
import org.ftl.data.ImageTensors;
import org.ftl.data.Images;
import org.ftl.data.InputShape;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 2a: the training and evaluation images as a partitioned RDD of paths, read through Hadoop's
 * FileSystem. Each partition decodes and resizes its images once; the result is persisted (memory, then
 * disk) so every round of variants reuses it.
 */
final class ImageStage {
    private ImageStage() {
    }

    static JavaRDD<DecodedBlock> decode(JavaSparkContext sc, List<ImageRow> images, int partitions, InputShape shape) {
        // the driver's Hadoop settings (spark.hadoop.*: S3A credentials, HDFS client options) for the executors
        Broadcast<SerializableConfiguration> hadoop = sc.broadcast(new SerializableConfiguration(sc.hadoopConfiguration()));
        JavaRDD<DecodedBlock> blocks = sc.parallelize(images, Math.max(1, Math.min(partitions, images.size())))
                .mapPartitions(it -> {
                    Configuration conf = hadoop.value().value();
                    List<Integer> index = new ArrayList<>();
                    List<Integer> label = new ArrayList<>();
                    List<Boolean> evaluation = new ArrayList<>();
                    List<byte[]> pixels = new ArrayList<>();
                    List<String> problems = new ArrayList<>();
                    while (it.hasNext()) {
                        ImageRow r = it.next();
                        try {
                            pixels.add(ImageTensors.pixels(Images.decode(DataFiles.read(r.path(), conf), r.path()), shape));
                            index.add(r.index());
                            label.add(r.label());
                            evaluation.add(r.evaluation());
                        } catch (RuntimeException e) {
                            problems.add(e.getMessage() != null && e.getMessage().contains(r.path())
                                    ? e.getMessage() : r.path() + ": " + e);
                        }
                    }
                    boolean[] ev = new boolean[evaluation.size()];
                    for (int i = 0; i < ev.length; i++) {
                        ev[i] = evaluation.get(i);
                    }
                    return List.of(new DecodedBlock(index.stream().mapToInt(Integer::intValue).toArray(),
                            label.stream().mapToInt(Integer::intValue).toArray(), ev, pixels.toArray(new byte[0][]),
                            List.copyOf(problems))).iterator();
                });
        return blocks.persist(StorageLevel.MEMORY_AND_DISK_SER());
    }
}
