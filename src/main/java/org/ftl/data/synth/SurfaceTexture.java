package org.ftl.data.synth;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paints a crack-free patch of asphalt or concrete: fine aggregate speckle, stones and dark pits, slow
 * mottling, stains, a lighting gradient and sometimes a cast shadow, under a per-image brightness,
 * contrast and colour cast.
 *
 * <p>Both classes get the same texture. Its dark features (pits, oil stains, shadows) and its spread of
 * brightness and contrast from image to image are what keep a plain statistic (mean, spread, darkest pixel,
 * share of dark pixels) from telling crack images from background ones: a crack adds only a few percent
 * of dark pixels, well within how much the surfaces themselves vary.
 */
final class SurfaceTexture {
    private final int size;
    /** 0 = plain, quiet surfaces … 1 = busy, high-contrast ones; follows the difficulty. */
    private final double busy;
    /** Pixel scale of features (grains, pits): larger images show them a little larger. */
    private final double px;

    SurfaceTexture(int size, double busy) {
        this.size = size;
        this.busy = busy;
        this.px = scale(size);
    }

    /** The scale of small features in pixels, relative to a 64-pixel image. */
    static double scale(int size) {
        return Math.max(0.6, Math.min(4, Math.sqrt(size / 64.0)));
    }

    /**
     * What a surface shows besides its texture. {@code asphalt} forces the material (null: either, 55 %
     * asphalt); {@code pits} scales the rate of dark pits; {@code stains} allows the oil and lighter stains.
     * The broad classes use a quiet look so that pits and stains are classes of their own.
     */
    record Look(Boolean asphalt, double pits, boolean stains) {
        /** The crack data set's surfaces: either material, every incidental feature at its usual rate. */
        static final Look MIXED = new Look(null, 1, true);
    }

    Surface render(SplittableRandom rng) {
        return render(rng, Look.MIXED);
    }

    /**
     * The surface for a look. Every random number {@link Look#MIXED} draws is drawn whatever the look, in the
     * same order up to the stains, so the crack data set's images do not change with the looks the broad
     * classes add.
     */
    Surface render(SplittableRandom rng, Look look) {
        boolean asphalt = rng.nextDouble() < 0.55;
        if (look.asphalt() != null) {
            asphalt = look.asphalt();
        }
        int n = size * size;

        // --- the texture, as relative deviations around 1
        float[] rel = new float[n];
        Arrays.fill(rel, 1f);
        double lively = 0.6 + 0.8 * busy;
        addField(rel, ValueNoise.fractal(rng.nextLong(), size, size * between(rng, 0.4, 1.0), 3, 0.5),
                between(rng, 0.03, 0.09) * lively);
        addField(rel, ValueNoise.fractal(rng.nextLong(), size, between(rng, 5, 12) * px, 3, 0.55),
                between(rng, 0.03, 0.08) * lively);
        // the aggregate speckle that dominates a close-up of pavement
        float[] speckle = ValueNoise.fractal(rng.nextLong(), size, between(rng, 0.8, 1.6) * px, 2, 0.5);
        addField(rel, speckle, (asphalt ? between(rng, 0.2, 0.45) : between(rng, 0.1, 0.25)) * lively);
        double grit = (asphalt ? between(rng, 0.04, 0.1) : between(rng, 0.02, 0.06)) * lively;
        for (int i = 0; i < n; i++) {
            rel[i] += (float) (grit * Seeds.gaussian(rng));
        }
        // dark gaps between the stones: from none to a tenth of the surface, as dark as a crack, so the
        // share of dark pixels varies from surface to surface far more than a crack changes it
        double gaps = rng.nextDouble() < 0.3 ? 0 : between(rng, 0, 1);
        if (gaps > 0) {
            double cut = -0.25 - 0.3 * (1 - gaps);
            double depth = between(rng, 0.2, 0.45);
            for (int i = 0; i < n; i++) {
                double g = smoothstep(cut + 0.1, cut - 0.25, speckle[i]);
                rel[i] *= (float) (1 - depth * g);
            }
        }

        // stones (light and dark) and pits (dark voids in asphalt, air holes in concrete). Pits are as dark
        // as a crack is, so "the darkest pixel" is no crack detector.
        int stones = (int) Math.round(n * (asphalt ? between(rng, 0.004, 0.012) : between(rng, 0.0, 0.004)) / (px * px));
        for (int k = 0; k < stones; k++) {
            double f = rng.nextDouble() < 0.6 ? between(rng, 1.06, 1.3) : between(rng, 0.75, 0.92);
            Surface.scaleDisc(rel, size, rng.nextDouble() * size, rng.nextDouble() * size, between(rng, 0.6, 2.2) * px, f);
        }
        double pitRate = between(rng, 0.0, 0.006) * (0.3 + 1.4 * busy) * (rng.nextDouble() < 0.25 ? 0 : 1) * look.pits();
        int pits = (int) Math.round(n * pitRate / (px * px));
        for (int k = 0; k < pits; k++) {
            Surface.scaleDisc(rel, size, rng.nextDouble() * size, rng.nextDouble() * size, between(rng, 0.4, 1.4) * px,
                    between(rng, 0.3, 0.7));
        }

        // per-image contrast: the same texture photographed flat or harsh
        double contrast = between(rng, 0.6, 1.35);
        double base = asphalt ? between(rng, 70, 150) : between(rng, 115, 200);
        float[] shade = new float[n];
        for (int i = 0; i < n; i++) {
            shade[i] = (float) (base * (1 + contrast * (rel[i] - 1)));
        }

        // a grey surface with a slight cast: bluish, brownish or neutral, drifting a little across the image
        double r = 1 + 0.02 * Seeds.gaussian(rng);
        double g = 1 + 0.01 * Seeds.gaussian(rng);
        double b = 1.01 + 0.03 * Seeds.gaussian(rng);
        float[] warmth = ValueNoise.fractal(rng.nextLong(), size, size * 0.7, 2, 0.5);
        float drift = (float) between(rng, 0, 0.03);
        for (int i = 0; i < n; i++) {
            warmth[i] *= drift;
        }
        Surface s = new Surface(size, shade, (float) r, (float) g, (float) b, warmth);

        if (rng.nextDouble() < 0.25 + 0.35 * busy && look.stains()) {
            int stains = 1 + rng.nextInt(3);
            for (int k = 0; k < stains; k++) {
                boolean oil = rng.nextDouble() < 0.7;
                stain(s, rng, between(rng, 0.1, 0.4) * size, between(rng, 0.5, 1), oil ? between(rng, 0.65, 0.9) : between(rng, 1.08, 1.2));
            }
        }
        lighting(s, rng);
        if (rng.nextDouble() < 0.2) {
            shadow(s, rng);
        }
        return s; // not clamped yet: hard negatives may still change it (see CrackSynthesizer)
    }

    /**
     * An irregular soft blob centred in or near the image: the shade is scaled by {@code factor} inside,
     * blending out over its ragged rim. {@code elongation} &lt; 1 squashes it along a random direction.
     */
    static void stain(Surface s, SplittableRandom rng, double radius, double elongation, double factor) {
        double cx = between(rng, -0.1, 1.1) * s.size;
        double cy = between(rng, -0.1, 1.1) * s.size;
        stain(s, rng, cx, cy, radius, elongation, factor);
    }

    /** As above, centred at ({@code cx}, {@code cy}). */
    static void stain(Surface s, SplittableRandom rng, double cx, double cy, double radius, double elongation, double factor) {
        int size = s.size;
        double angle = rng.nextDouble() * Math.PI;
        double ca = StrictMath.cos(angle);
        double sa = StrictMath.sin(angle);
        float[] ragged = ValueNoise.fractal(rng.nextLong(), size, Math.max(2, radius * 0.6), 3, 0.55);
        double soft = between(rng, 0.25, 0.6);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x + 0.5 - cx;
                double dy = y + 0.5 - cy;
                double u = (dx * ca + dy * sa) / radius;
                double v = (-dx * sa + dy * ca) / (radius * elongation);
                double d = Math.sqrt(u * u + v * v) + 0.45 * ragged[y * size + x];
                double inside = smoothstep(1 + soft, 1 - soft, d);
                if (inside > 0) {
                    s.shade[y * size + x] *= (float) (1 + (factor - 1) * inside);
                }
            }
        }
    }

    /** Light falling off across the patch, as in a photo taken at an angle or under a street lamp. */
    private static void lighting(Surface s, SplittableRandom rng) {
        int size = s.size;
        double angle = rng.nextDouble() * 2 * Math.PI;
        double slope = between(rng, -0.3, 0.3);
        double vignette = between(rng, 0, 0.15);
        double gx = StrictMath.cos(angle) * slope / size;
        double gy = StrictMath.sin(angle) * slope / size;
        double c = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double dx = x - c;
                double dy = y - c;
                double r2 = (dx * dx + dy * dy) / (c * c * 2);
                s.shade[y * size + x] *= (float) ((1 + gx * dx + gy * dy) * (1 - vignette * r2));
            }
        }
    }

    /** The soft shadow of something beside the camera: a dark region with a straight or ragged edge. */
    static void shadow(Surface s, SplittableRandom rng) {
        int size = s.size;
        double angle = rng.nextDouble() * 2 * Math.PI;
        double nx = StrictMath.cos(angle);
        double ny = StrictMath.sin(angle);
        double offset = between(rng, -0.35, 0.35) * size;
        double softness = between(rng, 1, 8) * scale(size);
        double factor = between(rng, 0.5, 0.8);
        float[] ragged = ValueNoise.fractal(rng.nextLong(), size, size * between(rng, 0.1, 0.4), 3, 0.5);
        double wobble = between(rng, 0, 0.12) * size;
        double c = size / 2.0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double d = (x + 0.5 - c) * nx + (y + 0.5 - c) * ny - offset + wobble * ragged[y * size + x];
                double inside = smoothstep(-softness, softness, d);
                s.shade[y * size + x] *= (float) (1 + (factor - 1) * inside);
            }
        }
    }

    private static void addField(float[] rel, float[] field, double amp) {
        float a = (float) amp;
        for (int i = 0; i < rel.length; i++) {
            rel[i] += a * field[i];
        }
    }

    static double between(SplittableRandom rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }

    static double smoothstep(double edge0, double edge1, double x) {
        double t = Math.max(0, Math.min(1, (x - edge0) / (edge1 - edge0)));
        return t * t * (3 - 2 * t);
    }
}
