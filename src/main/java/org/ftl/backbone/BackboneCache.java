package org.ftl.backbone;

import org.ftl.AtomicFiles;
import org.ftl.Json;
import org.ftl.data.InputShape;
import org.ftl.prune.ConvChain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Trained backbones on disk, keyed by everything that decides the result: the training data's fingerprint
 * and the architecture, input and training settings. The same key finds the same file; any change trains
 * anew. Each entry is a DL4J model file (the conv part) and a JSON report of its training.
 */
public final class BackboneCache {
    private final Path dir;

    public BackboneCache(Path dir) {
        this.dir = dir;
    }

    /** A stable key: SHA-256 of the given description (settings and data fingerprint), first 16 hex digits. */
    public static String key(String description) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(description.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path modelFile(String name, String key) {
        return dir.resolve(name + "-" + key + ".zip");
    }

    public Path reportFile(String name, String key) {
        return dir.resolve(name + "-" + key + ".json");
    }

    /** The cached backbone, if both its model and its report were written. */
    public Optional<ConvChain> find(String name, String key, InputShape input) {
        Path model = modelFile(name, key);
        // the report is written last: a model without one was interrupted
        if (Files.isRegularFile(model) && Files.isRegularFile(reportFile(name, key))) {
            return Optional.of(ConvChain.load(model, input));
        }
        return Optional.empty();
    }

    public void store(String name, String key, ConvChain backbone, Object report) {
        AtomicFiles.write(modelFile(name, key), backbone.toBytes());
        Json.writeAtomically(report, reportFile(name, key));
    }

    /** Copies a cached entry's model to a file the user named. */
    public void copyModel(String name, String key, Path to) {
        try {
            AtomicFiles.write(to, Files.readAllBytes(modelFile(name, key)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
