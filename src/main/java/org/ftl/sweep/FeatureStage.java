package org.ftl.sweep;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.head.FeatureMode;
import org.ftl.prune.ConvChain;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.util.List;
import java.util.Map;

/**
 * Stage 2b: every variant of a round over every image partition. A task preprocesses its partition's images
 * batch by batch and runs each variant of the round on them, emitting one feature block per variant; Spark
 * then brings each candidate's blocks together for its head. Tasks start at different variants so that
 * concurrent tasks on one executor rarely wait for the same network.
 */
final class FeatureStage {
    private FeatureStage() {
    }

    static JavaPairRDD<String, FeatureBlock> extract(JavaRDD<DecodedBlock> images, Broadcast<Map<String, byte[]>> round,
                                                     List<String> candidateIds, InputShape shape, Preprocessing pre,
                                                     int batchSize, FeatureMode mode) {
        return images.mapPartitionsWithIndex((partition, it) -> {
            TaskThreads.apply();
            // lazy: one variant's block exists at a time while Spark's shuffle writer takes them
            return new java.util.Iterator<Tuple2<String, FeatureBlock>>() {
                DecodedBlock block;
                List<INDArray> batches; // the block preprocessed once, for every variant
                int k = candidateIds.size();

                @Override
                public boolean hasNext() {
                    while (k >= candidateIds.size()) {
                        if (!it.hasNext()) {
                            return false;
                        }
                        block = it.next();
                        batches = batches(block, shape, pre, batchSize);
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
                    ConvChain chain = Variants.of(round, id, shape);
                    return new Tuple2<>(id, features(chain, block, batches, mode));
                }
            };
        }, true).mapToPair(t -> t);
    }

    /** A block's images preprocessed into NCHW batches. */
    static List<INDArray> batches(DecodedBlock block, InputShape s, Preprocessing pre, int batchSize) {
        List<INDArray> out = new java.util.ArrayList<>();
        int per = s.channels() * s.height() * s.width();
        for (int start = 0; start < block.size(); start += batchSize) {
            int b = Math.min(batchSize, block.size() - start);
            float[] x = new float[b * per];
            for (int i = 0; i < b; i++) {
                pre.apply(block.pixels()[start + i], s.channels(), x, i * per);
            }
            out.add(Nd4j.create(x, new long[] {b, s.channels(), s.height(), s.width()}, 'c'));
        }
        return out;
    }

    /** The chain's last map for each image of the block, as the head sees it (the same order the deployed model uses). */
    static FeatureBlock features(ConvChain chain, DecodedBlock block, List<INDArray> batches, FeatureMode mode) {
        int dim = (int) mode.features(chain.outputShape());
        float[] values = new float[block.size() * dim];
        int row = 0;
        for (INDArray x : batches) {
            float[] fv = mode.features(chain.output(x)).dup('c').data().asFloat();
            System.arraycopy(fv, 0, values, row * dim, fv.length);
            row += (int) x.size(0);
        }
        return new FeatureBlock(block.index(), block.label(), block.evaluation(), values, dim);
    }
}
