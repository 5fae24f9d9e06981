package org.ftl.sweep;

import org.apache.spark.api.java.JavaSparkContext;
import org.ftl.LocalSpark;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.BackboneTrainer;
import org.ftl.backbone.BackboneSettings;
import org.ftl.data.DecodedImages;
import org.ftl.data.ImageRef;
import org.ftl.data.InputShape;
import org.ftl.data.Preprocessing;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Backbone training through Deeplearning4j Spark (parameter averaging) in local Spark. */
class SparkFitterTest {
    @Test
    void trainsABackboneAcrossSparkTasks() {
        InputShape shape = new InputShape(64, 64, 3);
        // two easy classes: dark lines vs plain grey, 24 each
        SplittableRandom r = new SplittableRandom(1);
        int n = 48;
        byte[][] pixels = new byte[n][];
        int[] labels = new int[n];
        List<ImageRef> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            byte[] p = new byte[64 * 64 * 3];
            int col = r.nextInt(8, 56);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    int v = 140 + r.nextInt(-15, 16) - (labels[i] == 1 && Math.abs(x - col) < 2 ? 90 : 0);
                    for (int c = 0; c < 3; c++) {
                        p[(y * 64 + x) * 3 + c] = (byte) v;
                    }
                }
            }
            pixels[i] = p;
            refs.add(new ImageRef("img" + i, labels[i] == 1 ? "Crack" : "Background", ImageRef.Split.DATASET));
        }
        DecodedImages images = new DecodedImages(shape, List.of("Background", "Crack"), pixels, labels, refs);
        BackboneSettings.Train settings = new BackboneSettings.Train(2, 2, 8, 0.001, 0, 0.25, false, "spark");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        SparkFitter fitter = new SparkFitter(sc, 7);
        List<String> log = new ArrayList<>();
        BackboneTrainer.Trained t = new BackboneTrainer(Architecture.ALEXNET, 0.0625, true, settings,
                Preprocessing.IMAGENET_MEAN, 7).train(images, log::add, fitter);
        assertEquals(2, t.report().epochs().size(), String.join("\n", log));
        assertTrue(log.get(0).contains("on Spark (local[2]"), log.get(0));
        assertArrayEquals(new int[] {6, 16, 24, 24, 16}, t.backbone().filterCounts());
        assertTrue(t.report().epochs().get(1).validationAccuracy() >= 0 && t.report().epochs().get(1).validationLoss() > 0);
        assertTrue(sc.statusTracker().getJobIdsForGroup("backbone").length > 0, "the fit ran as Spark jobs");
    }
}
