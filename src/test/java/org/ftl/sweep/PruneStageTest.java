package org.ftl.sweep;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.ftl.LocalSpark;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.prune.Binarization;
import org.ftl.prune.Candidate;
import org.ftl.backbone.ConvChain;
import org.ftl.prune.CriterionSpec;
import org.ftl.prune.MaskResize;
import org.ftl.prune.SegmentedSet;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A candidate that fails is a record with its error, and the others go on. */
class PruneStageTest {
    static Deployment deployment(InputShape in) {
        return new Deployment(in, org.ftl.data.Preprocessing.IMAGENET_MEAN, org.ftl.infer.FeatureMode.FLATTEN, 2, 1);
    }

    @Test
    void aFailingCandidateBecomesARowWithItsError() {
        InputShape in = new InputShape(64, 64, 3);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        ConvChain backbone = Backbones.untrained(Architecture.ALEXNET, 0.125, false, in, 1);
        Broadcast<byte[]> bytes = sc.broadcast(backbone.toBytes());
        Broadcast<SegmentedSet> none = sc.broadcast(null);
        CriterionSpec spec = new CriterionSpec("Crack", false, Binarization.POSITIVE, 0, MaskResize.ANY, 1);
        // "iou" without a segmented set fails inside its task; "bogus" is no criterion at all
        List<Candidate> plan = List.of(CandidatePlan.baseline(), new Candidate("l1", 0.5), new Candidate("iou", 0.5),
                new Candidate("bogus", 0.5));
        Map<String, VariantRecord> out = new HashMap<>();
        for (VariantRecord v : PruneStage.run(sc, plan, 0, bytes, none, deployment(in), spec).collect()) {
            out.put(v.candidate().id(), v);
        }
        assertEquals(4, out.size(), "one record per candidate");
        assertTrue(out.get("baseline-1.00").ok());
        assertTrue(out.get("l1-0.50").ok());
        assertTrue(out.get("l1-0.50").params() < out.get("baseline-1.00").params());
        assertTrue(out.get("iou-0.50").error().contains("iou needs a segmented set"), out.get("iou-0.50").error());
        assertTrue(out.get("bogus-0.50").error().contains("'bogus' is not a criterion: iou, l1, random, apoz"), out.get("bogus-0.50").error());
        assertNull(out.get("bogus-0.50").model());

        // and in the metrics table they are rows with status failed, not missing rows
        Map<String, CandidateResult> results = new HashMap<>();
        results.put("baseline-1.00", CandidateResult.failed("baseline-1.00", new IllegalStateException("x")));
        List<org.apache.spark.sql.Row> rows = MetricsTable.rows(plan, out, results);
        assertEquals(4, rows.size());
        var columns = org.ftl.decide.MetricsColumns.all();
        for (org.apache.spark.sql.Row r : rows) {
            String id = r.getString(columns.fieldIndex("candidate"));
            assertEquals("failed", r.getString(columns.fieldIndex("status")), id);
            assertTrue(r.getString(columns.fieldIndex("error")).length() > 0, id);
        }
    }

    /**
     * The original's keep rule has no minimum: a layer it leaves without filters makes its candidate a failed row
     * naming the layer (the original script would crash there), and the sweep goes on.
     */
    @Test
    void aLayerLeftWithoutFiltersIsAFailedRowNamingIt() {
        InputShape in = new InputShape(64, 64, 3);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        // half width: conv1 has 48 filters, and round((48 - 1) · 0.01) = 0
        ConvChain backbone = Backbones.untrained(Architecture.ALEXNET, 0.5, false, in, 1);
        Broadcast<byte[]> bytes = sc.broadcast(backbone.toBytes());
        Broadcast<SegmentedSet> none = sc.broadcast(null);
        CriterionSpec spec = new CriterionSpec("Crack", false, Binarization.POSITIVE, 0, MaskResize.ANY, 1,
                new org.ftl.prune.KeepRule(org.ftl.prune.KeepRule.Count.ROUND_N_MINUS_1, org.ftl.prune.KeepRule.Ties.HIGHER_INDEX));
        List<Candidate> plan = List.of(CandidatePlan.baseline(), new Candidate("l1", 0.01), new Candidate("l1", 0.02));
        Map<String, VariantRecord> out = new HashMap<>();
        for (VariantRecord v : PruneStage.run(sc, plan, 0, bytes, none, deployment(in), spec).collect()) {
            out.put(v.candidate().id(), v);
        }
        assertTrue(out.get("baseline-1.00").ok());
        assertTrue(out.get("l1-0.01").error().contains("conv1: prune.keep-count = round-n-minus-1 keeps round((n − 1)·f) = 0"
                + " of its 48 filters at leave factor f = 0.01"), out.get("l1-0.01").error());
        assertTrue(out.get("l1-0.02").ok(), "round(47 · 0.02) = 1: " + out.get("l1-0.02").error());
        assertEquals("1/48 3/128 4/192 4/192 3/128", out.get("l1-0.02").filterCounts());
        List<org.apache.spark.sql.Row> rows = MetricsTable.rows(plan, out, new HashMap<>());
        var columns = org.ftl.decide.MetricsColumns.all();
        org.apache.spark.sql.Row failed = rows.stream().filter(r -> r.getString(columns.fieldIndex("candidate")).equals("l1-0.01"))
                .findFirst().orElseThrow();
        assertEquals("failed", failed.getString(columns.fieldIndex("status")));
        assertTrue(failed.getString(columns.fieldIndex("error")).contains("conv1"), failed.toString());
    }

    /** Variants leave the prune stage as deployed: batch-norm folded, the same maps as the pruned chain. */
    @Test
    void variantsAreShippedWithBatchNormFolded() {
        InputShape in = new InputShape(64, 64, 3);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        ConvChain backbone = Backbones.untrained(Architecture.ALEXNET, 0.125, true, in, 2);
        Broadcast<byte[]> bytes = sc.broadcast(backbone.toBytes());
        Broadcast<SegmentedSet> none = sc.broadcast(null);
        CriterionSpec spec = new CriterionSpec("Crack", false, Binarization.POSITIVE, 0, MaskResize.ANY, 1);
        Map<String, VariantRecord> out = new HashMap<>();
        for (VariantRecord v : PruneStage.run(sc, List.of(CandidatePlan.baseline(), new Candidate("l1", 0.3)), 0, bytes,
                none, deployment(in), spec).collect()) {
            out.put(v.candidate().id(), v);
        }
        org.nd4j.linalg.factory.Nd4j.getRandom().setSeed(3);
        org.nd4j.linalg.api.ndarray.INDArray x = org.nd4j.linalg.factory.Nd4j.rand(
                org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 3, 64, 64).muli(255).subi(120);
        ConvChain pruned = new org.ftl.prune.Pruner(backbone, spec.create("l1"), null).prune(0.3).chain();
        for (var e : Map.of("baseline-1.00", backbone, "l1-0.30", pruned).entrySet()) {
            ConvChain shipped = ConvChain.fromBytes(out.get(e.getKey()).model(), in);
            assertEquals(8, shipped.network().getnLayers(), e.getKey() + ": 5 convs with their ReLU, 3 pools");
            assertEquals(e.getValue().parameters() - 4L * e.getValue().totalFilters(), out.get(e.getKey()).params());
            org.nd4j.linalg.api.ndarray.INDArray expected = e.getValue().output(x);
            double err = org.nd4j.linalg.ops.transforms.Transforms.abs(expected.sub(shipped.output(x))).maxNumber().doubleValue()
                    / expected.amaxNumber().doubleValue();
            assertTrue(err < 1e-4, e.getKey() + ": relative error " + err);
        }
    }
}
