package org.ftl.sweep;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ftl.cost.Flops;
import org.ftl.data.InputShape;
import org.ftl.infer.OnnxExport;
import org.ftl.prune.Candidate;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.CriterionSpec;
import org.ftl.prune.FilterCriterion;
import org.ftl.prune.Folding;
import org.ftl.prune.Pruner;
import org.ftl.prune.PrunedVariant;
import org.ftl.prune.SegmentedSet;

import java.util.ArrayList;
import java.util.List;

/**
 * Stage 1: the candidate grid as an RDD spread over the executors. Each task builds its variants from the
 * broadcast backbone and segmented set; an executor builds the backbone and each criterion's pruner once
 * (so the first layer's scores are shared by every candidate it prunes). A failing candidate becomes a
 * record with its error; the others go on.
 */
final class PruneStage {
    private PruneStage() {
    }

    static JavaRDD<VariantRecord> run(JavaSparkContext sc, List<Candidate> candidates, int partitions,
                                      Broadcast<byte[]> backbone, Broadcast<SegmentedSet> segmented,
                                      Deployment deployment, CriterionSpec criteria) {
        InputShape input = deployment.input();
        int slices = partitions > 0 ? partitions : candidates.size();
        return sc.parallelize(candidates, Math.max(1, Math.min(slices, candidates.size()))).mapPartitions(it -> {
            ActiveTasks.enter();
            List<VariantRecord> out = new ArrayList<>();
            while (it.hasNext()) {
                Candidate c = it.next();
                try {
                    ConvChain chain = Variants.backbone(backbone, input);
                    if (c.isBaseline()) {
                        // f = 1 keeps every filter: the backbone itself, as deployed (batch-norm folded)
                        ConvChain deployed = Variants.deployedBackbone(backbone, input);
                        out.add(record(c, deployed, counts(chain), chain.totalFilters(), chain.totalFilters(), deployment));
                        continue;
                    }
                    Pruner pruner = ExecutorCache.get(backbone.id(), "pruner/" + c.criterion() + "/" + segmented.id(), () -> {
                        FilterCriterion criterion = criteria.create(c.criterion());
                        return criteria.pruner(chain, criterion, criterion.needsActivations() ? segmented.value() : null);
                    });
                    PrunedVariant v = pruner.prune(c.leaveFactor());
                    // pruned on the backbone as trained, then shipped as deployed: features, cost and best/ all
                    // run the folded chain
                    ConvChain deployed = Folding.fold(v.chain());
                    out.add(record(c, deployed, v.filterCounts(), v.filtersLeft(), v.filtersTotal(), deployment));
                } catch (Exception | OutOfMemoryError e) {
                    out.add(VariantRecord.failed(c, e));
                }
            }
            return out.iterator();
        });
    }

    /** A built variant in both its deployed forms, with the FLOPs of its classifier. */
    private static VariantRecord record(Candidate c, ConvChain deployed, String counts, int left, int total, Deployment d) {
        byte[] features = d.featureGraph(deployed);
        long flops = Flops.classifier(deployed.network(), d.input(), d.features(), d.classes());
        return new VariantRecord(c, deployed.toBytes(), features, counts, left, total, deployed.parameters(), flops, null);
    }

    private static String counts(ConvChain chain) {
        StringBuilder sb = new StringBuilder();
        for (int n : chain.filterCounts()) {
            sb.append(sb.length() == 0 ? "" : " ").append(n).append('/').append(n);
        }
        return sb.toString();
    }
}
