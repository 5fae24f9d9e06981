package org.ftl.backbone;

import org.apache.hadoop.conf.Configuration;
import org.ftl.FtlError;
import org.ftl.job.FtlConfig;
import org.ftl.config.SettingOverride;
import org.ftl.data.synth.SynthSettings;
import org.ftl.data.DataListing;
import org.ftl.data.synth.SynthLayoutWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * backbone.pretrain.data: a built-in architecture learns its filters on another data root's classes (a broad task)
 * than the sweep's, and is cached by that data's fingerprint.
 */
class PretrainTest {
    @TempDir
    static Path dir;
    private static Path broad;
    private static Path crack;

    @BeforeAll
    static void data() {
        broad = dir.resolve("broad");
        crack = dir.resolve("crack");
        FtlConfig c = config("", "synth.mode=broad", "synth.broad.classes=[crack, joint, pits]", "synth.broad.per-class=10",
                "synth.broad.evaluation-fraction=0");
        new SynthLayoutWriter(c.synth(), 3).write(broad, false, "", n -> { });
        FtlConfig k = config("", "synth.count=24");
        new SynthLayoutWriter(k.synth(), 3).write(crack, false, "", n -> { });
    }

    private static FtlConfig config(String pretrain, String... more) {
        List<SettingOverride> o = new ArrayList<>(List.of(SettingOverride.set("data.root=" + dir.resolve("crack")),
                SettingOverride.set("backbone.cache=" + dir.resolve("cache")), SettingOverride.set("backbone.width=0.0625"),
                SettingOverride.set("backbone.train.epochs=1"), SettingOverride.set("backbone.train.batch-size=8"),
                SettingOverride.set("synth.size=64"), SettingOverride.set("synth.segmented-count=4")));
        if (!pretrain.isEmpty()) {
            o.add(SettingOverride.set("backbone.pretrain.data=" + pretrain));
        }
        for (String m : more) {
            o.add(SettingOverride.set(m));
        }
        return FtlConfig.load(null, o, Map.of());
    }

    private static DataListing crackListing(FtlConfig c) {
        return DataListing.scan(c.data().root(), c.data().imageExtensions(), new Configuration());
    }

    private static List<Path> cacheReports() throws IOException {
        try (Stream<Path> f = Files.list(dir.resolve("cache"))) {
            return f.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    @Test
    void aBuiltInBackboneLearnsOnThePretrainingClassesAndIsCachedByTheirFingerprint() throws IOException {
        FtlConfig c = config(broad.toString());
        List<String> log = new ArrayList<>();
        ConvChain first = Backbones.resolve(c.backboneRequest(), crackListing(c), new Configuration(), log::add);
        assertTrue(log.stream().anyMatch(l -> l.contains("training images of 3 classes (pretraining on " + broad + ")")),
                String.join("\n", log));
        assertTrue(log.stream().anyMatch(l -> l.contains("on 24 images of 3 classes")), "30 images, a fifth held out: " + log);
        Path report = cacheReports().stream().filter(p -> read(p).contains("classes=[Crack, Joint, Pits]")).findFirst()
                .orElseThrow(() -> new AssertionError("no cached report names the pretraining classes: " + log));
        assertTrue(!read(report).contains("Background"), "not trained on the sweep's classes");

        List<String> again = new ArrayList<>();
        ConvChain reused = Backbones.resolve(c.backboneRequest(), crackListing(c), new Configuration(), again::add);
        assertTrue(again.get(0).startsWith("backbone: reusing "), String.join("\n", again));
        assertEquals(first.parameters(), reused.parameters());

        // without pretraining the same settings train on the sweep's own classes: another cache entry
        FtlConfig own = config("");
        List<String> ownLog = new ArrayList<>();
        Backbones.resolve(own.backboneRequest(), crackListing(own), new Configuration(), ownLog::add);
        assertTrue(ownLog.stream().anyMatch(l -> l.contains("training images of 2 classes") && !l.contains("pretraining")),
                String.join("\n", ownLog));
        assertTrue(cacheReports().stream().anyMatch(p -> read(p).contains("classes=[Background, Crack]")));
        assertNotEquals(1, cacheReports().size());
    }

    @Test
    void aMissingPretrainingFolderIsOneLineNamingTheSetting() {
        FtlConfig c = config(dir.resolve("nowhere").toString());
        FtlError e = assertThrows(FtlError.class, () -> Backbones.resolve(c.backboneRequest(), crackListing(c), new Configuration(), l -> { }));
        assertTrue(e.getMessage().startsWith(dir.resolve("nowhere") + ": no such data folder (backbone.pretrain.data"),
                e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aModelFileSourceDoesNotPretrainAndSaysSo() {
        FtlConfig c = config(broad.toString());
        Backbones.Resolved trained = Backbones.trainOrReuse(c.backboneRequest(), Architecture.ALEXNET, Backbones.trainingData(c.backboneRequest(), new Configuration()),
                new Configuration(), l -> { }, false, BackboneTrainer.LOCAL);
        FtlConfig fromFile = config(broad.toString(), "backbone.source=" + trained.modelFile());
        List<String> log = new ArrayList<>();
        ConvChain chain = Backbones.resolve(fromFile.backboneRequest(), crackListing(fromFile), new Configuration(), log::add);
        assertEquals(trained.backbone().parameters(), chain.parameters());
        assertEquals(List.of("backbone: backbone.pretrain.data (" + broad + ") is not used: " + trained.modelFile()
                + " is a trained model already"), log);
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theBroadSynthSettingsMakeAPretrainingLayout() {
        SynthSettings s = config("", "synth.broad.per-class=4").synth().inMode(SynthSettings.BROAD);
        assertTrue(s.broad());
        assertEquals(10 * 4 + s.segmentedCount(), new SynthLayoutWriter(s, 1).plan().total());
    }
}
