package org.ftl.data.label;

import org.ftl.FtlError;
import org.ftl.data.ImageFolder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The regions of interest of {@code ftl label --roi FILE}: a CSV with the header {@code file,x,y,width,height}
 * and one row per image (file name as in the images folder, box in pixels). Blank lines and lines starting
 * with {@code #} are ignored. Every mistake is reported with the CSV's line number, because the person who
 * fixes it has the CSV open, not the image.
 */
public final class RoiTable {
    /** One row: the image's file name, its box, and where it was written (for error messages). */
    public record Entry(String file, Roi roi, int line) {
    }

    private static final String HEADER = "file,x,y,width,height";

    private final Path source;
    private final Map<String, Entry> byFile;

    private RoiTable(Path source, Map<String, Entry> byFile) {
        this.source = source;
        this.byFile = byFile;
    }

    /** Reads and checks the CSV's syntax; {@link #checkAgainst} then checks it against the images. */
    public static RoiTable read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FtlError(csv + ": cannot read region-of-interest table: " + e.getMessage(), e);
        }
        Map<String, Entry> byFile = new LinkedHashMap<>();
        boolean headerSeen = false;
        for (int i = 0; i < lines.size(); i++) {
            int lineNo = i + 1;
            String line = lines.get(i).strip();
            if (i == 0 && line.startsWith("\uFEFF")) {
                line = line.substring(1); // a BOM, as spreadsheet programs write it
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!headerSeen) {
                if (!line.replace(" ", "").equalsIgnoreCase(HEADER)) {
                    throw error(csv, lineNo, "expected the header line '" + HEADER + "', found '" + line + "'");
                }
                headerSeen = true;
                continue;
            }
            String[] cols = line.split(",", -1);
            if (cols.length != 5) {
                throw error(csv, lineNo, "expected 5 columns (" + HEADER + "), found " + cols.length);
            }
            String file = cols[0].strip();
            if (file.isEmpty()) {
                throw error(csv, lineNo, "the file column is empty");
            }
            int x = number(csv, lineNo, "x", cols[1], 0);
            int y = number(csv, lineNo, "y", cols[2], 0);
            int w = number(csv, lineNo, "width", cols[3], 1);
            int h = number(csv, lineNo, "height", cols[4], 1);
            Entry earlier = byFile.get(file);
            if (earlier != null) {
                throw error(csv, lineNo, file + " already has a region on line " + earlier.line());
            }
            byFile.put(file, new Entry(file, new Roi(x, y, w, h), lineNo));
        }
        if (!headerSeen) {
            throw new FtlError(csv + ": empty region-of-interest table (expected the header '" + HEADER + "')");
        }
        return new RoiTable(csv, byFile);
    }

    /**
     * Checks every row against the images folder before anything is labelled: a row naming an image that
     * is not there, or a box that does not fit inside its image, is an error naming the CSV line. An image
     * whose header cannot be read is left for the labeller, which reports it as a failed image.
     */
    public void checkAgainst(Path imagesDir) {
        for (Entry e : byFile.values()) {
            Path image = imagesDir.resolve(e.file());
            if (e.file().contains("/") || e.file().contains("\\") || !Files.isRegularFile(image)) {
                throw error(source, e.line(), "no image " + e.file() + " in " + imagesDir);
            }
            int[] size;
            try {
                size = ImageFolder.dimensions(image);
            } catch (FtlError unreadable) {
                continue;
            }
            if (!e.roi().fitsIn(size[0], size[1])) {
                throw error(source, e.line(), "region " + e.roi() + " does not fit inside " + e.file() + " ("
                        + size[0] + "x" + size[1] + ")");
            }
        }
    }

    /** The region of the image with this file name, if the table has one. */
    public Optional<Entry> forImage(String fileName) {
        return Optional.ofNullable(byFile.get(fileName));
    }

    public Collection<Entry> entries() {
        return byFile.values();
    }

    public Path source() {
        return source;
    }

    private static int number(Path csv, int line, String column, String text, int min) {
        int v;
        try {
            v = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw error(csv, line, column + " must be a whole number, not '" + text.strip() + "'");
        }
        if (v < min) {
            throw error(csv, line, column + " must be at least " + min + ", not " + v);
        }
        return v;
    }

    private static FtlError error(Path csv, int line, String message) {
        return new FtlError(csv + " line " + line + ": " + message);
    }
}
