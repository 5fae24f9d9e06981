package org.ftl.sweep;

import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.ftl.cost.InputColumns;
import org.ftl.cost.OpProgram;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.ftl.head.FeatureMode;
import org.ftl.prune.ConvChain;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import scala.Tuple2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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
                                                     int batchSize, FeatureMode mode, long columnCacheBytes) {
        return images.mapPartitionsWithIndex((partition, it) -> {
            TaskThreads.apply();
            // lazy: one variant's block exists at a time while Spark's shuffle writer takes them
            return new java.util.Iterator<Tuple2<String, FeatureBlock>>() {
                DecodedBlock block;
                List<INDArray> batches; // the block preprocessed once, for every variant
                final InputColumns columns = new InputColumns(columnCacheBytes); // and its first conv's columns
                int k = candidateIds.size();

                @Override
                public boolean hasNext() {
                    while (k >= candidateIds.size()) {
                        if (!it.hasNext()) {
                            columns.clear();
                            return false;
                        }
                        block = it.next();
                        columns.clear(); // the previous block's batches are not seen again
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
                    return new Tuple2<>(id, features(chain, block, batches, mode, columns));
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

    /**
     * The chain's last map for each image of the block, as the head sees it (the same order the deployed model uses).
     * The chain runs as an {@link OpProgram} per batch size, made for this block (its buffers are this task's own, so
     * tasks sharing a cached variant never wait for each other), or through DL4J when it is not one a program runs.
     * The first conv's columns of each batch come from {@code columns}, shared by every variant of the round.
     */
    static FeatureBlock features(ConvChain chain, DecodedBlock block, List<INDArray> batches, FeatureMode mode,
                                 InputColumns columns) {
        int dim = (int) mode.features(chain.outputShape());
        float[] values = new float[block.size() * dim];
        Map<Long, Optional<OpProgram>> programs = new HashMap<>(); // at most two sizes: full batches and the last one
        int row = 0;
        for (INDArray x : batches) {
            long[] s = x.shape();
            Optional<OpProgram> program = programs.computeIfAbsent(s[0],
                    n -> OpProgram.of(chain.network(), n.intValue(), s[1], s[2], s[3], columns));
            INDArray map = program.isPresent() ? program.get().output(x) : chain.output(x);
            float[] fv = mode.features(map).dup('c').data().asFloat();
            System.arraycopy(fv, 0, values, row * dim, fv.length);
            row += (int) x.size(0);
        }
        return new FeatureBlock(block.index(), block.label(), block.evaluation(), values, dim);
    }
}
