package org.ftl.data.label;

import java.util.Locale;

/** Which side of the threshold is the object: cracks are dark on light concrete, hence the default. */
public enum Polarity {
    /** Object pixels are at or below the threshold (a dark crack on a light surface). */
    DARK,
    /** Object pixels are above the threshold (a light object on a dark surface, e.g. a sealed joint). */
    LIGHT;

    /** True when a pixel of grey level {@code level} belongs to the object for this threshold. */
    public boolean isObject(int level, int threshold) {
        return this == DARK ? level <= threshold : level > threshold;
    }

    /** Parses "dark" or "light" in any case; the command line spells them in lower case. */
    public static Polarity parse(String s) {
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("polarity must be dark or light, not '" + s + "'");
        }
    }
}
