package org.ftl.data.label;

import java.util.Locale;

/** How the grey level that separates object from background is chosen for each image. */
public enum ThresholdMethod {
    /** Per image (or per region of interest) by {@link Otsu}: adapts to each photo's exposure. */
    OTSU,
    /** One given level for every image: predictable when the photos share lighting. */
    FIXED;

    /** Parses "otsu" or "fixed" in any case. */
    public static ThresholdMethod parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("method must be otsu or fixed, not '" + s + "'");
        }
    }
}
