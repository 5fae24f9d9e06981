package org.ftl.data;

import org.apache.hadoop.conf.Configuration;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A content hash of a data set: SHA-256 over every file's path relative to the data root and its bytes'
 * SHA-256, in listing order. The same data copied to another place (a laptop, HDFS) has the same
 * fingerprint; changing one pixel of one image changes it.
 */
public final class DataFingerprint {
    private DataFingerprint() {
    }

    /** Fingerprint of everything the sweep reads: training, evaluation and segmented files. */
    public static String of(DataListing listing, Configuration conf) {
        List<String> paths = new ArrayList<>();
        listing.dataset().forEach(r -> paths.add(r.path()));
        listing.evaluation().forEach(r -> paths.add(r.path()));
        listing.segmented().forEach(p -> {
            paths.add(p.image());
            paths.add(p.mask());
        });
        return of(listing.root(), paths, conf);
    }

    /** Fingerprint of the given files under {@code root}. */
    public static String of(String root, List<String> paths, Configuration conf) {
        String prefix = DataFiles.qualified(root, conf);
        byte[][] hashes = new byte[paths.size()][];
        IntStream.range(0, paths.size()).parallel().forEach(i -> hashes[i] = sha256().digest(DataFiles.read(paths.get(i), conf)));
        MessageDigest all = sha256();
        for (int i = 0; i < paths.size(); i++) {
            String p = paths.get(i);
            String relative = p.startsWith(prefix) ? p.substring(prefix.length()) : p;
            all.update(relative.getBytes(StandardCharsets.UTF_8));
            all.update((byte) 0);
            all.update(hashes[i]);
        }
        return HexFormat.of().formatHex(all.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
