package org.ftl.data.synth;

import java.util.SplittableRandom;

/**
 * Things on a pavement that are not cracks but share a crack's cheap cues: a dark line (joints), thin
 * marks (scratches), a sharp change of shade (edges of patches, kerbs and road paint) and dark irregular
 * areas (oil stains and drip trails). Drawn on background images, a classifier cannot answer "crack" to
 * every dark line; it has to learn the crack's shape: tortuous, branching, tapering.
 *
 * <p>Every one of them stays unambiguous: joints and scratches are straight or gently bowed, never
 * jagged, and stains are blobs, never thin branching lines.
 */
final class HardNegatives {
    enum Kind { JOINT, SCRATCHES, EDGE, DARK_STAIN }

    private HardNegatives() {
    }

    /** Draws one hard negative, and now and then a second one, chosen at random. */
    static void draw(Surface s, SplittableRandom rng, double difficulty) {
        Kind[] kinds = Kind.values();
        int n = rng.nextDouble() < 0.25 ? 2 : 1;
        for (int k = 0; k < n; k++) {
            draw(kinds[rng.nextInt(kinds.length)], s, rng, difficulty);
        }
    }

    static void draw(Kind kind, Surface s, SplittableRandom rng, double difficulty) {
        switch (kind) {
            case JOINT -> joint(s, rng, difficulty);
            case SCRATCHES -> scratches(s, rng, 1);
            case EDGE -> edge(s, rng, null);
            case DARK_STAIN -> darkStain(s, rng);
        }
    }

    /**
     * A sawn or sealed joint between slabs: a straight dark line right across the image, as wide and as
     * dark as the cracks of this difficulty, usually along the image axes. Some sawn joints show a
     * lighter lip on each side; some come in pairs.
     */
    private static void joint(Surface s, SplittableRandom rng, double difficulty) {
        int size = s.size;
        double px = SurfaceTexture.scale(size);
        double angle = rng.nextDouble() < 0.7
                ? rng.nextInt(4) * Math.PI / 2 + StrictMath.toRadians(4) * Seeds.gaussian(rng)
                : rng.nextDouble() * Math.PI;
        double width = Math.max(0.8, (4.5 - 3 * difficulty) * px * StrictMath.exp(0.3 * Seeds.gaussian(rng)));
        double darkness = Math.min(0.9, (0.85 - 0.4 * difficulty) * SurfaceTexture.between(rng, 0.8, 1.15));
        boolean lip = rng.nextDouble() < 0.35;
        int lines = rng.nextDouble() < 0.2 ? 2 : 1;
        double cx = SurfaceTexture.between(rng, 0.15, 0.85) * size;
        double cy = SurfaceTexture.between(rng, 0.15, 0.85) * size;
        double gap = SurfaceTexture.between(rng, 4, 12) * px;
        ShadeLayer layer = new ShadeLayer(size, 0.01);
        long wobbleSeed = rng.nextLong();
        double dx = StrictMath.cos(angle);
        double dy = StrictMath.sin(angle);
        for (int l = 0; l < lines; l++) {
            double ox = cx - dy * gap * l;
            double oy = cy + dx * gap * l;
            // a machine-cut line keeps its width; only the sealant's wear varies it a little
            for (double t = -size * 1.5; t <= size * 1.5; t += 0.5) {
                double w = width * (1 + 0.12 * ValueNoise.along(wobbleSeed + l, t / (10 * px)));
                double x = ox + dx * t;
                double y = oy + dy * t;
                if (x < -w - 3 || y < -w - 3 || x > size + w + 3 || y > size + w + 3) {
                    continue;
                }
                layer.stamp(x, y, w / 2, darkness);
                if (lip) {
                    double off = w / 2 + 0.8 * px;
                    layer.stamp(x - dy * off, y + dx * off, 0.6 * px, -0.12);
                    layer.stamp(x + dy * off, y - dx * off, 0.6 * px, -0.12);
                }
            }
        }
        layer.applyTo(s);
    }

    /**
     * A few thin straight or gently bowed scratches (tyres, tools, brushing), lighter or darker than the surface.
     * {@code visibility} scales their contrast and width: 1 is the faint hard negative of the crack data set,
     * where most are barely seen; the broad task's scratch class needs them seen.
     */
    static void scratches(Surface s, SplittableRandom rng, double visibility) {
        int size = s.size;
        double px = SurfaceTexture.scale(size);
        int count = 1 + rng.nextInt(4);
        double angle = rng.nextDouble() * Math.PI;
        // capped so a visible scratch still darkens less than the darkest cracks (at visibility 1 it never reaches the cap)
        double strength = Math.max(-0.6, Math.min(0.75, visibility
                * (rng.nextDouble() < 0.5 ? -SurfaceTexture.between(rng, 0.08, 0.2) : SurfaceTexture.between(rng, 0.1, 0.35))));
        ShadeLayer layer = new ShadeLayer(size, 0.01);
        for (int k = 0; k < count; k++) {
            double a = angle + StrictMath.toRadians(6) * Seeds.gaussian(rng);
            double len = SurfaceTexture.between(rng, 0.3, 1.2) * size;
            double cx = SurfaceTexture.between(rng, 0.1, 0.9) * size;
            double cy = SurfaceTexture.between(rng, 0.1, 0.9) * size;
            double bow = SurfaceTexture.between(rng, -0.08, 0.08) * len;
            double radius = SurfaceTexture.between(rng, 0.3, 0.7) * px * Math.sqrt(visibility);
            double dx = StrictMath.cos(a);
            double dy = StrictMath.sin(a);
            int steps = (int) Math.ceil(len / 0.5);
            for (int i = 0; i <= steps; i++) {
                double t = (double) i / steps - 0.5;
                double sag = bow * (1 - 4 * t * t); // a parabola: a smooth arc, never a kink
                layer.stamp(cx + dx * t * len - dy * sag, cy + dy * t * len + dx * sag, radius,
                        strength * (0.6 + 0.4 * StrictMath.sin(Math.PI * (t + 0.5))));
            }
        }
        layer.applyTo(s);
    }

    /**
     * A sharp change of shade across a straight or slightly curved border: a patch repair, a slab edge,
     * a kerb, or a band of road paint (a quarter of them, unless {@code paint} says which). Sometimes with
     * a dark seam along the border.
     */
    static void edge(Surface s, SplittableRandom rng, Boolean paint) {
        int size = s.size;
        double px = SurfaceTexture.scale(size);
        double angle = rng.nextDouble() * 2 * Math.PI;
        double nx = StrictMath.cos(angle);
        double ny = StrictMath.sin(angle);
        double offset = SurfaceTexture.between(rng, -0.3, 0.3) * size;
        double curve = SurfaceTexture.between(rng, -0.3, 0.3) / size;
        double c = size / 2.0;
        // drawn even when the kind is given, so the other numbers stay the same as in the crack data set
        boolean band = rng.nextDouble() < 0.25;
        if (paint != null) {
            band = paint;
        }
        double bandWidth = SurfaceTexture.between(rng, 3, 10) * px;
        double factor = band ? SurfaceTexture.between(rng, 1.2, 1.45)
                : (rng.nextBoolean() ? SurfaceTexture.between(rng, 0.68, 0.88) : SurfaceTexture.between(rng, 1.12, 1.35));
        double soft = SurfaceTexture.between(rng, 0.4, 1.5);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                double u = (x + 0.5 - c) * nx + (y + 0.5 - c) * ny - offset;
                double along = -(x + 0.5 - c) * ny + (y + 0.5 - c) * nx;
                double d = u - curve * along * along;
                double inside = band
                        ? SurfaceTexture.smoothstep(-soft, soft, d) * SurfaceTexture.smoothstep(bandWidth + soft, bandWidth - soft, d)
                        : SurfaceTexture.smoothstep(-soft, soft, d);
                if (inside > 0) {
                    s.shade[y * size + x] *= (float) (1 + (factor - 1) * inside);
                }
            }
        }
        if (!band && rng.nextDouble() < 0.5) {
            ShadeLayer seam = new ShadeLayer(size, 0.01);
            double darkness = SurfaceTexture.between(rng, 0.2, 0.5);
            double radius = SurfaceTexture.between(rng, 0.5, 1.2) * px;
            for (double t = -size; t <= size; t += 0.5) {
                double u = offset + curve * t * t;
                double x = c + nx * u - ny * t;
                double y = c + ny * u + nx * t;
                seam.stamp(x, y, radius, darkness);
            }
            seam.applyTo(s);
        }
    }

    /** An oil stain drawn out by traffic, or a trail of drips: dark, irregular, and blob-shaped. */
    private static void darkStain(Surface s, SplittableRandom rng) {
        int size = s.size;
        if (rng.nextDouble() < 0.6) {
            SurfaceTexture.stain(s, rng, SurfaceTexture.between(rng, 0.12, 0.35) * size,
                    SurfaceTexture.between(rng, 0.2, 0.6), SurfaceTexture.between(rng, 0.45, 0.75));
            return;
        }
        drips(s, rng, 0, 1);
    }

    /**
     * A trail of dark drips, a few pixels apart, wandering across the image from a start between {@code from} and
     * {@code to} (fractions of the size, on both axes).
     */
    static void drips(Surface s, SplittableRandom rng, double from, double to) {
        int size = s.size;
        double px = SurfaceTexture.scale(size);
        double angle = rng.nextDouble() * Math.PI;
        double x = SurfaceTexture.between(rng, from, to) * size;
        double y = SurfaceTexture.between(rng, from, to) * size;
        int drops = 4 + rng.nextInt(12);
        double factor = SurfaceTexture.between(rng, 0.35, 0.7);
        for (int k = 0; k < drops; k++) {
            s.scaleDisc(x, y, SurfaceTexture.between(rng, 0.8, 3.5) * px, factor * SurfaceTexture.between(rng, 0.9, 1.15));
            double stepLen = SurfaceTexture.between(rng, 2, 9) * px;
            angle += 0.3 * Seeds.gaussian(rng);
            x += StrictMath.cos(angle) * stepLen;
            y += StrictMath.sin(angle) * stepLen;
        }
    }
}
