package org.ftl.backbone;

import org.apache.hadoop.conf.Configuration;
import org.ftl.Json;
import org.ftl.data.DataFiles;
import org.ftl.data.InputShape;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Trained backbones in a folder, keyed by everything that decides the result: the training data's fingerprint
 * and the architecture, input and training settings. The same key finds the same file; any change trains
 * anew. Each entry is a DL4J model file (the conv part) and a JSON report of its training. The folder is any
 * Hadoop path (local, HDFS, S3A), so a cluster's runs can share one cache.
 */
public final class BackboneCache {
    private final String dir;
    private final Configuration conf;

    public BackboneCache(String dir, Configuration conf) {
        this.dir = dir;
        this.conf = conf;
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

    public String modelFile(String name, String key) {
        return DataFiles.child(dir, name + "-" + key + ".zip");
    }

    public String reportFile(String name, String key) {
        return DataFiles.child(dir, name + "-" + key + ".json");
    }

    /** The cached backbone, if both its model and its report were written. */
    public Optional<ConvChain> find(String name, String key, InputShape input) {
        String model = modelFile(name, key);
        // the report is written last: a model without one was interrupted
        if (DataFiles.isFile(model, conf) && DataFiles.isFile(reportFile(name, key), conf)) {
            return Optional.of(ConvChain.read(DataFiles.read(model, conf), model, input));
        }
        return Optional.empty();
    }

    public void store(String name, String key, ConvChain backbone, Object report) {
        DataFiles.write(modelFile(name, key), backbone.toBytes(), conf);
        DataFiles.write(reportFile(name, key), Json.write(report).getBytes(StandardCharsets.UTF_8), conf);
    }
}
