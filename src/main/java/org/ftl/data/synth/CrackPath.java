package org.ftl.data.synth;

import java.util.SplittableRandom;

/**
 * Draws one crack as a branching random walk onto a {@link ShadeLayer}.
 *
 * <p>Real pavement cracks are jagged at the scale of the aggregate (short straight runs with sharp kinks
 * where the fracture went round a stone) but keep a general direction over the patch, and they thin out
 * and fade towards their tips. The walk therefore follows a slowly meandering heading, kinks around it
 * every few pixels, varies its width and darkness smoothly along its length, tapers at the ends, and now
 * and then splits off a thinner, shorter branch (and branches of branches, two levels deep).
 *
 * <p>The walk starts inside the middle of the image and grows two arms in opposite directions, so every
 * crack crosses the central part of its image and none hides in a corner.
 */
final class CrackPath {
    /** Coverage that would darken a pixel by less than this is not drawn, so the mask can be exact (see {@link #draw}). */
    static final double MIN_DARKENING = 0.08;
    /** Arc length between two stamps, well under a pixel so the stroke has no gaps. */
    private static final double STEP = 0.5;
    private static final int MAX_GENERATION = 2;

    private final SplittableRandom rng;
    private final int size;
    private final double px;
    private final double tortuosity;
    private final double branching;
    private final ShadeLayer layer;

    private CrackPath(SplittableRandom rng, int size, double tortuosity, double branching) {
        this.rng = rng;
        this.size = size;
        this.px = SurfaceTexture.scale(size);
        this.tortuosity = tortuosity;
        this.branching = branching;
        this.layer = new ShadeLayer(size, MIN_DARKENING);
    }

    /**
     * A crack for an image of {@code size} pixels at {@code difficulty} (0 = wide, dark and fairly straight;
     * 1 = a faint, tortuous hairline). The layer's touched pixels are the crack's exact mask: every pixel it
     * darkens by {@link #MIN_DARKENING} or more, and no other (weaker anti-aliasing is dropped, not drawn).
     */
    static ShadeLayer draw(SplittableRandom rng, int size, double difficulty) {
        double px = SurfaceTexture.scale(size);
        double minPixels = Math.max(6, 0.5 * size);
        ShadeLayer best = null;
        int bestCount = -1;
        // a walk that leaves the image at once is drawn again (with the same generator, so still deterministic)
        for (int attempt = 0; attempt < 8; attempt++) {
            double width = lerp(3.2, 0.9, difficulty) * px * StrictMath.exp(0.3 * Seeds.gaussian(rng));
            width = Math.max(0.7, Math.min(10 * px, width));
            double darkness = Math.max(0.2, Math.min(0.9, lerp(0.8, 0.42, difficulty) * between(rng, 0.8, 1.15)));
            double tortuosity = lerp(0.35, 0.6, difficulty) * between(rng, 0.7, 1.3);
            double branching = rng.nextDouble() * 0.012 / px;
            CrackPath crack = new CrackPath(rng, size, tortuosity, branching);

            double x = between(rng, 0.2, 0.8) * size;
            double y = between(rng, 0.2, 0.8) * size;
            double heading = rng.nextDouble() * 2 * Math.PI;
            long widthSeed = rng.nextLong();
            long darkSeed = rng.nextLong();
            crack.arm(x, y, heading, between(rng, 0.3, 1.0) * size, width, darkness, 0, widthSeed, darkSeed, 1);
            crack.arm(x, y, heading + Math.PI, between(rng, 0.3, 1.0) * size, width, darkness, 0, widthSeed, darkSeed, -1);

            int count = 0;
            for (float s : crack.layer.strength) {
                count += s != 0 ? 1 : 0;
            }
            if (count >= minPixels) {
                return crack.layer;
            }
            if (count > bestCount) {
                best = crack.layer;
                bestCount = count;
            }
        }
        return best;
    }

    /**
     * One arm of the walk from (x, y). Width and darkness follow smooth noise over the signed arc length
     * ({@code sign} = -1 for the arm grown backwards), so the two arms of the trunk join without a seam.
     */
    private void arm(double x, double y, double heading, double length, double width, double darkness,
                     int generation, long widthSeed, long darkSeed, int sign) {
        double drift = heading;
        double angle = heading;
        double run = 0;
        double tip = Math.max(4 * px, Math.min(length * 0.35, 20 * px));
        double margin = width + 3;
        for (double s = 0; s < length; s += STEP) {
            if (run <= 0) {
                // a new straight run: the general direction meanders a little, the kink around it more
                run = between(rng, 1.2, 5) * px;
                drift = heading + (drift - heading) * 0.85 + 0.35 * tortuosity * Seeds.gaussian(rng);
                angle = drift + tortuosity * Seeds.gaussian(rng);
            }
            x += StrictMath.cos(angle) * STEP;
            y += StrictMath.sin(angle) * STEP;
            run -= STEP;
            if (x < -margin || y < -margin || x > size + margin || y > size + margin) {
                return; // the arm has left the image; what it does outside is never seen
            }
            double taper = Math.min(1, (length - s) / tip);
            double w = width * (1 + 0.4 * ValueNoise.along(widthSeed, sign * s / (9 * px))) * (0.3 + 0.7 * taper);
            double d = darkness * (1 + 0.25 * ValueNoise.along(darkSeed, sign * s / (14 * px))) * (0.55 + 0.45 * taper);
            layer.stamp(x, y, Math.max(0.3, w / 2), Math.min(0.92, d * between(rng, 0.85, 1.1)));

            if (generation < MAX_GENERATION && rng.nextDouble() < branching * STEP / (1 + 2 * generation)) {
                double side = rng.nextBoolean() ? 1 : -1;
                arm(x, y, angle + side * between(rng, 0.35, 1.1), between(rng, 0.15, 0.5) * size,
                        w * between(rng, 0.45, 0.75), d * between(rng, 0.7, 0.95), generation + 1,
                        rng.nextLong(), rng.nextLong(), 1);
            }
        }
    }

    private static double lerp(double at0, double at1, double t) {
        return at0 + (at1 - at0) * t;
    }

    private static double between(SplittableRandom rng, double lo, double hi) {
        return SurfaceTexture.between(rng, lo, hi);
    }
}
