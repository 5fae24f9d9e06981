package org.ftl.head;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A candidate's training and evaluation features in one gzipped file (tests and benchmarks): the class names,
 * then per split n, d, the labels and the floats row-major, big-endian as {@link DataOutputStream} writes them.
 * The floats are the extracted ones, bit for bit.
 */
public record FeatureFile(LabelledFeatures training, LabelledFeatures evaluation) {
    private static final String MAGIC = "ftl-features/1";

    public static void write(Path file, LabelledFeatures training, LabelledFeatures evaluation) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(
                Files.newOutputStream(file))))) {
            out.writeUTF(MAGIC);
            out.writeInt(training.classCount());
            for (String c : training.classes()) {
                out.writeUTF(c);
            }
            for (LabelledFeatures split : List.of(training, evaluation)) {
                FeatureMatrix x = split.features();
                out.writeInt(x.rows());
                out.writeInt(x.columns());
                for (int label : split.labels()) {
                    out.writeInt(label);
                }
                for (float v : x.values()) {
                    out.writeFloat(v);
                }
            }
        }
    }

    public static FeatureFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    public static FeatureFile read(InputStream stream, String name) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(stream)));
        if (!MAGIC.equals(in.readUTF())) {
            throw new IOException(name + ": not a " + MAGIC + " file");
        }
        int k = in.readInt();
        List<String> classes = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            classes.add(in.readUTF());
        }
        LabelledFeatures[] splits = new LabelledFeatures[2];
        for (int s = 0; s < 2; s++) {
            int n = in.readInt();
            int d = in.readInt();
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = in.readInt();
            }
            float[] v = new float[n * d];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.readFloat();
            }
            splits[s] = new LabelledFeatures(new FeatureMatrix(v, n, d), labels, classes);
        }
        return new FeatureFile(splits[0], splits[1]);
    }
}
