package org.ftl;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * DL4J model zips a user hands us (a backbone, a classifier, a sweep's best/model.zip), read as data only.
 *
 * <p>DL4J's {@code ModelSerializer} deserialises a {@code preprocessor.bin} entry with Java's
 * {@code ObjectInputStream} — running code a crafted file chooses — and does not look at entry names. So the
 * archive is read here first: entries whose names leave the archive ({@code ..} segments, absolute paths,
 * drive letters, backslashes) and repeated names are refused (zip-slip), {@code preprocessor.bin} is refused,
 * the uncompressed size is bounded (zip bomb), and only the entries a network needs (its JSON configuration
 * and its parameters, both plain data) are handed to DL4J, in a fresh zip held in memory.
 */
public final class ModelZip {
    /** DL4J's entries that are data: the configuration (JSON) and the parameters (ND4J binary). */
    private static final Set<String> NETWORK_ENTRIES = Set.of("configuration.json", "coefficients.bin");
    /** DL4J's entry holding a Java-serialised object. */
    static final String SERIALISED_ENTRY = "preprocessor.bin";
    /** More uncompressed bytes than this is refused (a byte array cannot hold more anyway). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private ModelZip() {
    }

    /** Every entry of the archive by name, in archive order, after the checks above. */
    public static Map<String, byte[]> entries(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return entries(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new FtlError(file + ": no such file");
        } catch (IOException e) {
            throw new FtlError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** As above for an archive read from a stream; {@code name} is for messages. */
    public static Map<String, byte[]> entries(InputStream stream, String name) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            byte[] buffer = new byte[1 << 16];
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String entry = e.getName();
                String why = unsafe(entry);
                if (why != null) {
                    throw new FtlError(name + ": archive entry '" + entry + "' " + why + "; refused (zip-slip)");
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (out.containsKey(entry)) {
                    throw new FtlError(name + ": archive entry '" + entry + "' appears twice; refused");
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
                    total += n;
                    if (total > MAX_BYTES) {
                        throw new FtlError(name + ": more than " + MAX_BYTES + " bytes uncompressed; refused");
                    }
                    bytes.write(buffer, 0, n);
                }
                out.put(entry, bytes.toByteArray());
            }
        } catch (ZipException e) {
            throw new FtlError(name + ": not a readable zip archive: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new FtlError(name + ": cannot read: " + e.getMessage(), e);
        }
        if (out.isEmpty()) {
            throw new FtlError(name + ": not a zip archive (no entries)");
        }
        return out;
    }

    /** Why an entry name would write or read outside the archive's folder, or null when it is safe. */
    static String unsafe(String entry) {
        if (entry.isEmpty()) {
            return "has an empty name";
        }
        if (entry.indexOf('\\') >= 0) {
            return "has a backslash (a Windows path)";
        }
        if (entry.startsWith("/") || (entry.length() > 1 && entry.charAt(1) == ':')) {
            return "is an absolute path";
        }
        if (entry.indexOf('\0') >= 0) {
            return "has a NUL character";
        }
        for (String segment : entry.split("/")) {
            if (segment.equals("..")) {
                return "leaves the archive (..)";
            }
        }
        return null;
    }

    /** The DL4J network of a model zip's entries, read as data only; {@code name} is for messages. */
    public static MultiLayerNetwork network(Map<String, byte[]> entries, String name) {
        if (entries.containsKey(SERIALISED_ENTRY)) {
            throw new FtlError(name + ": holds " + SERIALISED_ENTRY + ", a Java-serialised object; model files are"
                    + " read as data only, so it is refused (save the model without an input preprocessor object)");
        }
        if (!entries.containsKey("configuration.json")) {
            throw new FtlError(name + ": not a DL4J model file (no configuration.json; entries: "
                    + String.join(", ", entries.keySet().stream().limit(8).toList()) + ")");
        }
        ByteArrayOutputStream clean = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(clean)) {
            for (String entry : NETWORK_ENTRIES) {
                if (entries.containsKey(entry)) {
                    zip.putNextEntry(new ZipEntry(entry));
                    zip.write(entries.get(entry));
                    zip.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e); // in memory
        }
        try {
            return ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(clean.toByteArray()), false);
        } catch (IOException | RuntimeException e) {
            throw new FtlError(name + ": not a DL4J model file: " + oneLine(e), e);
        }
    }

    /** A user's DL4J model file held in memory (as read through Hadoop's FileSystem), read as data only. */
    public static MultiLayerNetwork network(byte[] zip, String name) {
        return network(entries(new ByteArrayInputStream(zip), name), name);
    }

    /** A user's local DL4J model file, read as data only. */
    public static MultiLayerNetwork network(Path file) {
        return network(entries(file), file.toString());
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
