package org.ftl;

import org.deeplearning4j.util.ModelSerializer;
import org.ftl.backbone.Architecture;
import org.ftl.backbone.Backbones;
import org.ftl.data.InputShape;
import org.ftl.head.Classifier;
import org.ftl.backbone.ConvChain;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model zips a user hands us are read as data only: no Java deserialisation, no entry outside the archive. */
class ModelZipTest {
    private static final InputShape IN = new InputShape(128, 128, 3);
    private static final org.apache.hadoop.conf.Configuration HADOOP = new org.apache.hadoop.conf.Configuration();
    private static Map<String, byte[]> good;
    private static long params;

    @TempDir
    Path dir;

    @BeforeAll
    static void aRealModelZip(@TempDir Path tmp) {
        ConvChain chain = Backbones.untrained(Architecture.ALEXNET, 0.125, false, IN, 3);
        params = chain.parameters();
        Path file = tmp.resolve("backbone.zip");
        chain.save(file);
        good = ModelZip.entries(file);
    }

    /** A zip holding the good model's entries plus {@code extra}, written as any zip tool would. */
    private Path zip(String name, Map<String, byte[]> extra) throws IOException {
        Map<String, byte[]> all = new LinkedHashMap<>(good);
        all.putAll(extra);
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (var e : all.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return file;
    }

    private static String backboneError(Path file) {
        return assertThrows(FtlError.class, () -> Backbones.load(Backbones.Source.parse(file.toString()), IN, HADOOP)).getMessage();
    }

    @Test
    void aGoodModelLoadsAndEntriesItDoesNotNeedAreIgnored() throws IOException {
        Path file = zip("with notes.zip", Map.of("notes/readme.txt", "hello".getBytes(StandardCharsets.UTF_8),
                "updaterState.bin", new byte[] {1, 2, 3}));
        assertEquals(params, Backbones.load(Backbones.Source.parse(file.toString()), IN, HADOOP).parameters());
    }

    @Test
    void entriesOutsideTheArchiveAreRefusedByName() throws IOException {
        String[] names = {"../evil.txt", "models/../../evil.txt", "/tmp/evil.txt", "C:/evil.txt", "..\\evil.txt"};
        for (String entry : names) {
            Path file = zip("slip.zip", Map.of(entry, "x".getBytes(StandardCharsets.UTF_8)));
            String e = backboneError(file);
            assertTrue(e.startsWith(file + ": archive entry '" + entry + "' ") && e.endsWith("refused (zip-slip)"), e);
            assertTrue(assertThrows(FtlError.class, () -> Classifier.load(file)).getMessage().contains("zip-slip"));
            assertFalse(Files.exists(dir.getParent().resolve("evil.txt")));
        }
    }

    /** Sets a flag when Java deserialises it: what a crafted preprocessor.bin could do, harmlessly. */
    static final class Tripwire implements Serializable {
        static volatile boolean tripped;

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            tripped = true;
        }
    }

    @Test
    void aJavaSerialisedEntryIsRefusedAndNeverDeserialised() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Tripwire());
        }
        Path file = zip("preprocessor.zip", Map.of("preprocessor.bin", bytes.toByteArray()));
        Tripwire.tripped = false;
        String e = backboneError(file);
        assertTrue(e.startsWith(file + ": holds preprocessor.bin, a Java-serialised object"), e);
        assertTrue(assertThrows(FtlError.class, () -> Classifier.load(file)).getMessage().contains("preprocessor.bin"));
        assertFalse(Tripwire.tripped, "FTL must not deserialise it");
        // DL4J's own reader would have: the danger this guards against is real
        try {
            ModelSerializer.restoreMultiLayerNetwork(file.toFile(), false);
        } catch (Exception ignored) {
            // whether DL4J then fails does not matter
        }
        assertTrue(Tripwire.tripped, "ModelSerializer deserialises preprocessor.bin");
    }

    @Test
    void filesThatAreNotModelsAreNamed() throws IOException {
        byte[] noise = new byte[4096];
        new SplittableRandom(1).nextBytes(noise);
        Path random = dir.resolve("random.zip");
        Files.write(random, noise);
        assertEquals(random + ": not a zip archive (no entries)", backboneError(random));

        Path empty = dir.resolve("empty.zip");
        Files.write(empty, new byte[0]);
        assertEquals(empty + ": not a zip archive (no entries)", backboneError(empty));

        Path other = dir.resolve("photos.zip");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(other))) {
            zip.putNextEntry(new ZipEntry("a.jpg"));
            zip.write(noise);
            zip.closeEntry();
        }
        assertTrue(backboneError(other).startsWith(other + ": not a DL4J model file (no configuration.json; entries: a.jpg)"));

        Path badJson = zip("bad-json.zip", Map.of("configuration.json", "{\"not\": \"a network\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(backboneError(badJson).startsWith(badJson + ": not a DL4J model file: "), backboneError(badJson));

        // a zip cut short: the first entries may read, the rest does not
        byte[] whole = Files.readAllBytes(zip("whole.zip", Map.of()));
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertTrue(backboneError(cut).startsWith(cut + ": "), backboneError(cut));

        Path missing = dir.resolve("nope.zip");
        assertEquals(missing + ": no such backbone file", backboneError(missing));
        assertEquals(missing + ": no such file",
                assertThrows(FtlError.class, () -> Classifier.load(missing)).getMessage());
    }

    @Test
    void aBackboneIsNotAClassifier() throws IOException {
        Path file = zip("backbone.zip", Map.of());
        assertEquals(file + ": a DL4J model without FTL's class names (" + Classifier.CLASSES_ENTRY + ")",
                assertThrows(FtlError.class, () -> Classifier.load(file)).getMessage());
    }

    @Test
    void anInputShapeTheModelCannotTakeIsRefusedNamingTheFile() throws IOException {
        Path file = zip("rgb.zip", Map.of());
        String grey = assertThrows(FtlError.class,
                () -> Backbones.load(Backbones.Source.parse(file.toString()), new InputShape(128, 128, 1), HADOOP)).getMessage();
        assertTrue(grey.startsWith(file + ": ") && grey.contains("3") && grey.contains("1"), grey);
        String tiny = assertThrows(FtlError.class,
                () -> Backbones.load(Backbones.Source.parse(file.toString()), new InputShape(8, 8, 3), HADOOP)).getMessage();
        assertTrue(tiny.startsWith(file + ": ") && tiny.contains("8x8"), tiny);
    }
}
