package org.ftl.data;

import org.ftl.FtlError;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which pixels of a mask file are the object:
 * <ul>
 *   <li>{@code brightness}: brighter than half the mask's brightest level, which reads 0/255 and 0/1 masks alike;</li>
 *   <li>{@code nonzero}: every level above 0, as the original method's pruning script counts them;</li>
 *   <li>a list of levels, e.g. {@code [1]}: those levels only, for label maps such as the original method's
 *       OpenCV labeler writes (each contour filled with its class: 1 Crack, 2 Pore, 3 Dirt, 4 Background).</li>
 * </ul>
 * Levels are the mask's stored grey values (8 or 16 bit), or the rounded luminance of a colour mask (the
 * labeler's PNGs have three equal channels, so that is the label too).
 *
 * <p>A <em>label map</em> — a mask whose levels are all at most {@link #LABEL_MAP_MAX_LEVEL} — read by the
 * brightness rule would lose every label but the highest ones (in a 0–4 map, the Crack pixels of level 1):
 * that is refused naming the file, its levels and the setting, never done without a word.
 *
 * @param labels  the levels that are object ({@link Rule#LABELS} only), ascending
 * @param setting how the setting reads in messages, e.g. {@code data.mask-object = brightness (from reference.conf: 17)}
 */
public record MaskObject(Rule rule, List<Integer> labels, String setting) {
    /** How a level is judged. */
    public enum Rule { BRIGHTNESS, NONZERO, LABELS }

    /** The highest level a mask may have and still be taken for a label map of class values. */
    public static final int LABEL_MAP_MAX_LEVEL = 31;

    public MaskObject {
        labels = List.copyOf(new TreeSet<>(labels));
        if ((rule == Rule.LABELS) == labels.isEmpty()) {
            throw new IllegalArgumentException("a list of levels goes with the LABELS rule, and only with it: " + rule + " "
                    + labels);
        }
    }

    public static MaskObject brightness(String setting) {
        return new MaskObject(Rule.BRIGHTNESS, List.of(), setting);
    }

    public static MaskObject nonzero(String setting) {
        return new MaskObject(Rule.NONZERO, List.of(), setting);
    }

    public static MaskObject labels(List<Integer> labels, String setting) {
        return new MaskObject(Rule.LABELS, labels, setting);
    }

    /**
     * {@code brightness}, {@code nonzero}, or levels separated by commas ({@code 1} or {@code 1,2}), as a command
     * line option gives them; {@code setting} names the option in messages.
     */
    public static MaskObject parse(String text, String setting) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("brightness")) {
            return brightness(setting);
        }
        if (t.equals("nonzero")) {
            return nonzero(setting);
        }
        List<Integer> levels = new ArrayList<>();
        for (String part : t.replaceAll("^\\[|]$", "").split(",")) {
            try {
                int v = Integer.parseInt(part.trim());
                if (v < 1 || v > 65535) {
                    throw new NumberFormatException();
                }
                levels.add(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not brightness, nonzero or a list of levels from 1 to"
                        + " 65535 such as 1 or 1,2");
            }
        }
        return labels(levels, setting);
    }

    /** The rule in the settings' words: brightness, nonzero or [1, 2]. */
    public String describe() {
        return switch (rule) {
            case BRIGHTNESS -> "brightness";
            case NONZERO -> "nonzero";
            case LABELS -> labels.toString();
        };
    }

    /**
     * The object pixels of a decoded mask, row-major.
     *
     * @param name the mask file, for messages
     * @throws FtlError for a label map that the brightness rule would read with some of its labels lost
     */
    public boolean[] object(BufferedImage mask, String name) {
        int[] levels = Images.maskLevels(mask);
        boolean[] m = new boolean[levels.length];
        switch (rule) {
            case BRIGHTNESS -> {
                m = Images.mask(mask);
                refuseLostLabels(levels, m, name);
            }
            case NONZERO -> {
                for (int i = 0; i < levels.length; i++) {
                    m[i] = levels[i] != 0;
                }
            }
            case LABELS -> {
                for (int i = 0; i < levels.length; i++) {
                    m[i] = labels.contains(levels[i]);
                }
            }
        }
        return m;
    }

    private void refuseLostLabels(int[] levels, boolean[] object, String name) {
        int max = 0;
        for (int v : levels) {
            max = Math.max(max, v);
        }
        if (max == 0 || max > LABEL_MAP_MAX_LEVEL) {
            return;
        }
        TreeSet<Integer> kept = new TreeSet<>();
        TreeSet<Integer> dropped = new TreeSet<>();
        for (int i = 0; i < levels.length; i++) {
            if (levels[i] != 0) {
                (object[i] ? kept : dropped).add(levels[i]);
            }
        }
        if (dropped.isEmpty()) {
            return;
        }
        throw new FtlError(name + ": a label map (levels " + join(levels(levels)) + "), but " + setting + " keeps "
                + (kept.isEmpty() ? "none of them" : "only " + join(kept)) + " and would drop every pixel of "
                + join(dropped) + "; set it to nonzero (every labelled pixel is object) or to the list of labels that"
                + " are the object, e.g. [1] (Crack, in masks of the original method's labeler)");
    }

    /** The distinct levels of a mask, ascending. */
    public static TreeSet<Integer> levels(int[] levels) {
        TreeSet<Integer> out = new TreeSet<>();
        for (int v : levels) {
            out.add(v);
        }
        return out;
    }

    public static String join(java.util.Collection<Integer> levels) {
        return levels.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }
}
