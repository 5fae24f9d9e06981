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
            // lazy: one variant's block exists at a time while Spark's shuffle writer takes them
            return new java.util.Iterator<Tuple2<String, FeatureBlock>>() {
                DecodedBlock block;
                int k = candidateIds.size();

                @Override
                public boolean hasNext() {
                    while (k >= candidateIds.size()) {
                        if (!it.hasNext()) {
                            return false;
                        }
                        block = it.next();
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
                    return new Tuple2<>(id, features(chain, block, pre, batchSize, mode));
                }
            };
        }, true).mapToPair(t -> t);
    }

    /** The chain's last map for each image of the block, as the head sees it (the same order the deployed model uses). */
    static FeatureBlock features(ConvChain chain, DecodedBlock block, Preprocessing pre, int batchSize, FeatureMode mode) {
        InputShape s = chain.input();
        int dim = (int) mode.features(chain.outputShape());
        int n = block.size();
        float[] values = new float[n * dim];
        int per = s.channels() * s.height() * s.width();
        for (int start = 0; start < n; start += batchSize) {
            int b = Math.min(batchSize, n - start);
            float[] x = new float[b * per];
            for (int i = 0; i < b; i++) {
                pre.apply(block.pixels()[start + i], s.channels(), x, i * per);
            }
            INDArray maps = chain.output(Nd4j.create(x, new long[] {b, s.channels(), s.height(), s.width()}, 'c'));
            INDArray f = mode.features(maps);
            float[] fv = f.dup('c').data().asFloat();
            System.arraycopy(fv, 0, values, start * dim, b * dim);
        }
        return new FeatureBlock(block.index(), block.label(), block.evaluation(), values, dim);
    }
}
