package org.ftl.sweep;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ftl.Json;
import org.ftl.job.FtlConfig;
import org.ftl.backbone.ConvChain;
import org.nd4j.linalg.api.buffer.DataType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What a run is a run of, so that a resumed sweep continues only a run whose finished candidates it would have
 * computed the same way: the settings that change a result, the data's fingerprint and the backbone itself (its
 * layers and weights, however it was obtained). Stored in the run's {@code checkpoints/_key.json}.
 *
 * <p>Settings left out, as they change no candidate's row: where things are ({@code data.root} — the fingerprint
 * covers the data — {@code runs.*}, {@code backbone.cache}), Spark ({@code spark.*}) and how the work is cut
 * ({@code sweep.candidate-partitions}, {@code sweep.variant-group-mb}: a candidate's result does not depend on
 * which others share its task or round), the decision function ({@code decision.*}: the driver ranks the whole
 * table at the end) and the generator ({@code synth.*}). {@code cost.*} stays in: a run's latency columns must be
 * measured one way.
 */
public record RunIdentity(String key, String name, String dataFingerprint, String backbone, String settings,
                          int candidates) {

    static final List<String> NOT_RESULTS = List.of("runs", "spark", "synth", "decision", "data.root", "backbone.cache",
            "sweep.candidate-partitions", "sweep.variant-group-mb");

    static RunIdentity of(FtlConfig config, String dataFingerprint, ConvChain backbone, int candidates) {
        String settings = sha256(resultSettings(config.source()).getBytes(StandardCharsets.UTF_8));
        String net = backboneHash(backbone);
        String key = sha256((config.name() + "\n" + settings + "\n" + dataFingerprint + "\n" + net)
                .getBytes(StandardCharsets.UTF_8));
        return new RunIdentity(key, config.name(), dataFingerprint, net, settings, candidates);
    }

    /** The ftl settings that change results, rendered with sorted keys and no comments. */
    static String resultSettings(Config merged) {
        Config c = merged.getConfig("ftl");
        for (String path : NOT_RESULTS) {
            c = c.withoutPath(path);
        }
        return c.root().render(ConfigRenderOptions.concise());
    }

    /** SHA-256 of the network's configuration (JSON) and its parameters as float32, little-endian. */
    static String backboneHash(ConvChain chain) {
        MessageDigest d = digest();
        d.update(layers(chain).getBytes(StandardCharsets.UTF_8));
        float[] params = chain.network().params().castTo(DataType.FLOAT).data().asFloat();
        ByteBuffer b = ByteBuffer.allocate(4 * params.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(params);
        d.update(b.array());
        return HexFormat.of().formatHex(d.digest());
    }

    /** The layers as JSON, without the training counters a freshly trained and a cached network differ in. */
    private static String layers(ConvChain chain) {
        try {
            ObjectNode json = (ObjectNode) Json.MAPPER.readTree(chain.network().getLayerWiseConfigurations().toJson());
            json.remove(List.of("iterationCount", "epochCount"));
            return Json.MAPPER.writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(digest().digest(bytes));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
