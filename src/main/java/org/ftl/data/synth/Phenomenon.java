package org.ftl.data.synth;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The classes of the broad pretraining task ({@code synth.mode = broad}): one thing a close-up of pavement can
 * show, each drawn on its own on a plain concrete or asphalt surface. Together they need the filters a
 * backbone trained on photos has: lines of several widths and orientations (crack, joint, scratch), edges
 * (edge, paint), blobs of several sizes (stain, pits, stones) and textures (concrete, asphalt), most of
 * which a crack detector does not need.
 */
public enum Phenomenon {
    /** A branching, kinked, tapering crack: the same one the crack data set draws, with its exact mask. */
    CRACK("Crack"),
    /** A sawn or sealed joint: a straight dark line across the image, sometimes with light lips or in pairs. */
    JOINT("Joint"),
    /** A few thin straight or gently bowed marks, lighter or darker than the surface. */
    SCRATCH("Scratch"),
    /** An oil stain or a trail of drips: dark and blob-shaped. */
    STAIN("Stain"),
    /** A sharp change of shade across a border: a patch repair, a slab edge, a kerb, sometimes with a seam. */
    EDGE("Edge"),
    /** A band of road paint: a bright stripe with two parallel borders. */
    PAINT("Paint"),
    /** Many small dark voids (ravelling asphalt, air holes in concrete). */
    PITS("Pits"),
    /** Exposed aggregate: many large light and dark stones, some with a dark gap around them. */
    STONES("Stones"),
    /** Plain concrete: fine, quiet speckle, light. */
    CONCRETE("Concrete"),
    /** Plain asphalt: coarse speckle and grit, darker. */
    ASPHALT("Asphalt");

    private final String folder;

    Phenomenon(String folder) {
        this.folder = folder;
    }

    /** The name in settings and on the command line: crack, joint, … */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Its class folder under dataset/ and evaluation/ (the crack's is {@code synth.crack-class} instead). */
    public String defaultFolder() {
        return folder;
    }

    /** Every name, in the order of the default class list. */
    public static List<String> names() {
        return Arrays.stream(values()).map(Phenomenon::configName).toList();
    }

    public static Phenomenon parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown class '" + name + "': one of " + String.join(", ", names()));
        }
    }
}
