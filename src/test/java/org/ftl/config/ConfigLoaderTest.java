package org.ftl.config;

import org.ftl.job.FtlConfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {
    @TempDir
    Path dir;

    private final ConfigLoader loader = new ConfigLoader();

    private FtlConfig load(String profile, List<SettingOverride> sets, Map<String, String> env) {
        return FtlConfig.of(loader.layers(profile, sets, env));
    }

    private Path file(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsComeFromReferenceConf() {
        FtlConfig c = load(null, List.of(), Map.of());
        assertEquals("default", c.name());
        assertEquals(600, c.synth().count());
        assertEquals("Crack", c.data().targetClass());
        assertEquals(List.of("png", "jpg", "jpeg", "bmp"), c.data().imageExtensions());
    }

    @Test
    void layersOverrideInOrder_fileThenEnvironmentThenSet() throws IOException {
        Path f = file("p.conf", "ftl { synth.count = 10, data.root = from-file, runs.root = runs-file }");
        FtlConfig c = load(f.toString(), List.of(SettingOverride.set("synth.count=20")), Map.of("FTL_DATA", "/from/env"));
        assertEquals(20, c.synth().count());
        assertEquals("/from/env", c.data().root());
        assertEquals("runs-file", c.runs().root());
    }

    @Test
    void setTakesPathsWithSchemesUnquoted() {
        FtlConfig c = load(null, List.of(SettingOverride.set("data.root=hdfs://nn:8020/ftl/data")), Map.of());
        assertEquals("hdfs://nn:8020/ftl/data", c.data().root());
    }

    @Test
    void setTakesListsAndObjects() {
        FtlConfig c = load(null, List.of(SettingOverride.set("data.image-extensions=[png]"),
                SettingOverride.set("spark.conf={\"spark.executor.memory\"=2g}")), Map.of());
        assertEquals(List.of("png"), c.data().imageExtensions());
        assertEquals(Map.of("spark.executor.memory", "2g"), c.spark().conf());
    }

    @Test
    void unknownKeyInFileNamesKeyFileLineAndSuggestion() throws IOException {
        Path f = file("typo.conf", "ftl {\n  synth {\n    cuont = 5\n  }\n}\n");
        ConfigError e = assertThrows(ConfigError.class, () -> load(f.toString(), List.of(), Map.of()));
        assertTrue(e.getMessage().contains("unknown setting ftl.synth.cuont"), e.getMessage());
        assertTrue(e.getMessage().contains("typo.conf: 3"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean ftl.synth.count?"), e.getMessage());
    }

    @Test
    void unknownKeyFromSetNamesTheFlag() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> load(null, List.of(SettingOverride.set("sweep.nonsense=1")), Map.of()));
        assertEquals("unknown setting ftl.sweep.nonsense (from --set ftl.sweep.nonsense)", e.getMessage());
    }

    @Test
    void wrongTypeNamesKeyOriginAndWhatIsAllowed() throws IOException {
        Path f = file("bad.conf", "ftl.synth.count = many\n");
        ConfigError e = assertThrows(ConfigError.class, () -> load(f.toString(), List.of(), Map.of()));
        assertEquals("ftl.synth.count = \"many\" (from " + f + ": 1): must be a whole number from 1 to 1000000",
                e.getMessage());
    }

    @Test
    void outOfRangeFromACommandOptionNamesTheOption() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> load(null, List.of(SettingOverride.option("synth.difficulty", 1.5, "--difficulty")), Map.of()));
        assertEquals("ftl.synth.difficulty = 1.5 (from option --difficulty): must be a number from 0.0 to 1.0",
                e.getMessage());
    }

    @Test
    void valueWhereASectionIsDeclaredIsRefused() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(null, List.of(SettingOverride.set("synth=3")), Map.of()));
        assertTrue(e.getMessage().contains("ftl.synth"), e.getMessage());
    }

    @Test
    void sectionWhereAValueIsDeclaredIsRefused() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> load(null, List.of(SettingOverride.set("seed={a=1}")), Map.of()));
        assertTrue(e.getMessage().startsWith("ftl.seed (from --set ftl.seed) is a section here"), e.getMessage());
    }

    @Test
    void scoringSizeIsTheInputsOrAHeightAndWidth() {
        org.ftl.data.InputShape input = new org.ftl.data.InputShape(64, 64, 3);
        assertEquals(input, load(null, List.of(), Map.of()).prune().scoringShape(input));
        assertEquals(new org.ftl.data.InputShape(320, 480, 3), load(null, List.of(SettingOverride.set("prune.scoring-size=[320, 480]")),
                Map.of()).prune().scoringShape(input));
        for (String bad : List.of("[320]", "[320, 480.5]", "[0, 480]")) {
            ConfigError e = assertThrows(ConfigError.class,
                    () -> load(null, List.of(SettingOverride.set("prune.scoring-size=" + bad)), Map.of()), bad);
            assertTrue(e.getMessage().startsWith("ftl.prune.scoring-size = "), e.getMessage());
        }
    }

    @Test
    void crossKeyRuleIsReported() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> load(null, List.of(SettingOverride.set("synth.background-class=Crack")), Map.of()));
        assertTrue(e.getMessage().contains("must differ from ftl.synth.crack-class"), e.getMessage());
    }

    @Test
    void missingFileAndUnknownProfileAreNamed() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(dir.resolve("none.conf").toString(), List.of(), Map.of()));
        assertTrue(e.getMessage().contains("none.conf: no such file"), e.getMessage());
        ConfigError p = assertThrows(ConfigError.class, () -> load("nosuchprofile", List.of(), Map.of()));
        assertTrue(p.getMessage().contains("nor a profile of that name: demo, cluster, nightly"), p.getMessage());
    }

    @Test
    void syntaxErrorNamesFileAndLine() throws IOException {
        Path f = file("broken.conf", "ftl {\n  synth.count = 3\n  data {\n");
        ConfigError e = assertThrows(ConfigError.class, () -> load(f.toString(), List.of(), Map.of()));
        assertTrue(e.getMessage().startsWith("cannot read config " + f), e.getMessage());
        assertTrue(e.getMessage().contains("broken.conf"), e.getMessage());
    }

    @Test
    void malformedSetIsRefused() {
        ConfigError e = assertThrows(ConfigError.class, () -> load(null, List.of(SettingOverride.set("synth.count")), Map.of()));
        assertTrue(e.getMessage().contains("expected key=value"), e.getMessage());
    }

    @Test
    void shippedProfilesLoadByName() {
        for (String p : ConfigLoader.shippedProfiles()) {
            FtlConfig c = load(p, List.of(), Map.of());
            assertEquals(p, c.name());
        }
    }

    @Test
    void keysBesideFtlAreLeftAlone() throws IOException {
        Path f = file("other.conf", "akka.loglevel = INFO\nftl.seed = 7\n");
        assertEquals(7, load(f.toString(), List.of(), Map.of()).seed());
    }

    @Test
    void renderShowsTheMergedValues() {
        String text = load(null, List.of(SettingOverride.set("synth.count=33")), Map.of()).render();
        assertTrue(text.contains("count=33") || text.contains("count = 33"), text);
        assertFalse(text.contains("akka"), text);
    }
}
