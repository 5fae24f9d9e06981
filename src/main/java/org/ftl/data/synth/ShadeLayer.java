package org.ftl.data.synth;

/**
 * Strokes that scale a surface's shade, drawn first on their own layer: each pixel keeps the strongest
 * stroke over it (largest |strength|), so overlapping discs along a path do not compound into blotches.
 * A strength of 0.4 darkens a pixel to 60 % of its shade; a negative strength lightens it.
 *
 * <p>Cracks and joints are drawn with this same class on purpose: they then look alike pixel for pixel,
 * and only their shape (tortuous and branching versus straight) tells them apart.
 */
final class ShadeLayer {
    final int size;
    final float[] strength;
    /** Coverage weaker than this is dropped rather than drawn (see {@link #coverage} and the crack mask). */
    private final float cutoff;

    ShadeLayer(int size, double cutoff) {
        this.size = size;
        this.strength = new float[size * size];
        this.cutoff = (float) cutoff;
    }

    /**
     * The part of a pixel (centre at distance {@code d}) covered by a disc of {@code radius}: 1 inside,
     * falling linearly to 0 across the one-pixel rim, and thinned for discs narrower than a pixel, whose
     * darkness is spread over a pixel they only partly cover.
     */
    static double coverage(double d, double radius) {
        double c = radius + 0.5 - d;
        if (c <= 0) {
            return 0;
        }
        return Math.min(1, c) * Math.min(1, 2 * radius);
    }

    /** A soft disc of the given strength at its centre (a quarter weaker towards the rim of a wide one). */
    void stamp(double cx, double cy, double radius, double strength) {
        int x0 = Math.max(0, (int) Math.floor(cx - radius - 1));
        int x1 = Math.min(size - 1, (int) Math.ceil(cx + radius + 1));
        int y0 = Math.max(0, (int) Math.floor(cy - radius - 1));
        int y1 = Math.min(size - 1, (int) Math.ceil(cy + radius + 1));
        float abs = (float) Math.abs(strength);
        for (int y = y0; y <= y1; y++) {
            double dy = y + 0.5 - cy;
            for (int x = x0; x <= x1; x++) {
                double dx = x + 0.5 - cx;
                double d = Math.sqrt(dx * dx + dy * dy);
                // a wide stroke is darkest along its middle, as the inside of a fissure is
                double core = radius > 1 ? 0.75 + 0.25 * Math.max(0, 1 - d / radius) : 1;
                float s = (float) (coverage(d, radius) * core * abs);
                int i = y * size + x;
                if (s >= cutoff && s > Math.abs(this.strength[i])) {
                    this.strength[i] = strength < 0 ? -s : s;
                }
            }
        }
    }

    /** A straight stroke of constant radius and strength, stamped every half pixel. */
    void line(double x0, double y0, double x1, double y1, double radius, double strength) {
        double len = StrictMath.hypot(x1 - x0, y1 - y0);
        int steps = Math.max(1, (int) Math.ceil(len / 0.5));
        for (int k = 0; k <= steps; k++) {
            double t = (double) k / steps;
            stamp(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, radius, strength);
        }
    }

    /** Scales the surface's shade by {@code 1 - strength} where the layer has strokes. */
    void applyTo(Surface surface) {
        float[] shade = surface.shade;
        for (int i = 0; i < shade.length; i++) {
            if (strength[i] != 0) {
                shade[i] = Math.min(Surface.BRIGHTEST, shade[i] * (1 - strength[i]));
            }
        }
    }

    /** The pixels any stroke touched (a crack's exact mask). */
    boolean[] touched() {
        boolean[] m = new boolean[strength.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = strength[i] != 0;
        }
        return m;
    }
}
