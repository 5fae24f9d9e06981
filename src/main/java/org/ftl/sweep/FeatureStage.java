package org.ftl.sweep;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.infer.OnnxModel;
import scala.Tuple2;

import java.util.List;
import java.util.Map;

/**
 * Stage 2b: every variant of a round over every image partition. A task turns its partition's images into pixels
 * once (channel-first floats, 0–255: each variant's graph does its own preprocessing) and runs each variant's ONNX
 * feature graph on them in ONNX Runtime, batch by batch, emitting one feature block per variant; Spark then brings
 * each candidate's blocks together for its head. Tasks start at different variants so that concurrent tasks on one
 * executor rarely load the same graph at once.
 */
final class FeatureStage {
    private FeatureStage() {
    }

    static JavaPairRDD<String, FeatureBlock> extract(JavaRDD<DecodedBlock> images, Broadcast<Map<String, VariantRecord>> round,
                                                     List<String> candidateIds, InputShape shape, int batchSize) {
        return images.mapPartitionsWithIndex((partition, it) -> {
            ActiveTasks.enter();
            int threads = TaskContext.get() == null ? 1 : TaskContext.get().cpus();
            // lazy: one variant's block exists at a time while Spark's shuffle writer takes them
            return new java.util.Iterator<Tuple2<String, FeatureBlock>>() {
                DecodedBlock block;
                float[] pixels; // the block's images, channel-first, for every variant
                int k = candidateIds.size();

                @Override
                public boolean hasNext() {
                    while (k >= candidateIds.size()) {
                        if (!it.hasNext()) {
                            return false;
                        }
                        block = it.next();
                        pixels = pixels(block, shape);
                        k = 0;
                    }
                    return true;
                }

                @Override
                public Tuple2<String, FeatureBlock> next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    String id = candidateIds.get((k++ + partition) % candidateIds.size());
                    return new Tuple2<>(id, features(round.value().get(id).features(), block, pixels, shape, batchSize, threads));
                }
            };
        }, true).mapToPair(t -> t);
    }

    /** A block's images as channel-first 0–255 floats, one after the other: what the graphs take. */
    static float[] pixels(DecodedBlock block, InputShape s) {
        int per = s.channels() * s.height() * s.width();
        float[] x = new float[block.size() * per];
        for (int i = 0; i < block.size(); i++) {
            Preprocessing.NONE.apply(block.pixels()[i], s.channels(), x, i * per);
        }
        return x;
    }

    /**
     * A variant's features for each image of the block, as the head sees them: its feature graph run in ONNX
     * Runtime on {@code threads} threads at {@code batchSize} images a call (the last call takes the rest).
     */
    static FeatureBlock features(byte[] graph, DecodedBlock block, float[] pixels, InputShape shape, int batchSize,
                                 int threads) {
        try (OnnxModel model = OnnxModel.load(graph, threads)) {
            return new FeatureBlock(block.index(), block.label(), block.evaluation(),
                    model.run(pixels, block.size(), batchSize), Math.toIntExact(model.outputWidth()));
        }
    }
}
