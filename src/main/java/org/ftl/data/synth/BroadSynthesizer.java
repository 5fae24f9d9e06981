package org.ftl.data.synth;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Makes one image of the broad pretraining task from (seed, split, class, index) alone: a plain surface
 * and, on it, the class's one phenomenon. The surface is quiet (few pits, no stains) so that every image
 * shows one thing; material, lighting, shadows, colour cast and sensor noise vary as in the crack data set.
 *
 * <p>Lines are drawn with the crack data set's own routines ({@link CrackPath}, {@link HardNegatives}), so a
 * crack here looks like a crack there. A crack image's mask is exact as there (see {@link CrackSynthesizer}).
 */
public final class BroadSynthesizer {
    /** Texture of the classes that show a phenomenon: either material, a few pits, no stains. */
    private static final SurfaceTexture.Look QUIET = new SurfaceTexture.Look(null, 0.4, false);

    /** Scratches 3 times as contrasted and 1.7 times as wide as the crack set's faint ones (at most 2.4 px across). */
    private static final double SCRATCH_VISIBILITY = 3;

    private final int size;
    private final double difficulty;
    private final SurfaceTexture texture;

    /**
     * @param size       side of the square images in pixels
     * @param difficulty 0 = wide dark lines on plain texture … 1 = faint thin ones on busy texture, as in the crack set
     */
    public BroadSynthesizer(int size, double difficulty) {
        if (size < 8) {
            throw new IllegalArgumentException("size " + size + " < 8");
        }
        if (!(difficulty >= 0 && difficulty <= 1)) {
            throw new IllegalArgumentException("difficulty must be within [0, 1]");
        }
        this.size = size;
        this.difficulty = difficulty;
        this.texture = new SurfaceTexture(size, difficulty);
    }

    /** The image number {@code index} of one class in one split, for a run seed. */
    public CrackSynthesizer.Sample synthesize(long seed, Split split, Phenomenon kind, int index) {
        return render(seed, split, kind, index, true);
    }

    /** The same image with its phenomenon left out: same surface, same noise (a test hook). */
    CrackSynthesizer.Sample surfaceOnly(long seed, Split split, Phenomenon kind, int index) {
        return render(seed, split, kind, index, false);
    }

    private CrackSynthesizer.Sample render(long seed, Split split, Phenomenon kind, int index, boolean draw) {
        SplittableRandom image = new SplittableRandom(Seeds.broadImage(seed, split, kind, index));
        SplittableRandom surfaceRng = image.split();
        SplittableRandom markRng = image.split();
        SplittableRandom sensorRng = image.split();

        Surface surface = texture.render(surfaceRng, look(kind));
        switch (draw ? kind : Phenomenon.CRACK) {
            case JOINT -> HardNegatives.draw(HardNegatives.Kind.JOINT, surface, markRng, difficulty);
            case SCRATCH -> HardNegatives.scratches(surface, markRng, SCRATCH_VISIBILITY);
            case STAIN -> stain(surface, markRng);
            case EDGE -> HardNegatives.edge(surface, markRng, false);
            case PAINT -> HardNegatives.edge(surface, markRng, true);
            case PITS -> pits(surface, markRng);
            case STONES -> stones(surface, markRng);
            case CRACK, CONCRETE, ASPHALT -> {
            }
        }
        // before the crack, as in the crack data set: the crack then changes every pixel it darkens
        surface.clamp();
        boolean[] mask = new boolean[size * size];
        if (kind == Phenomenon.CRACK) {
            ShadeLayer crack = CrackPath.draw(markRng, size, difficulty);
            if (draw) {
                crack.applyTo(surface);
            }
            mask = crack.touched();
        }
        double noise = 1.5 + 3 * sensorRng.nextDouble() * (0.6 + 0.8 * difficulty);
        BufferedImage img = surface.toImage(sensorRng, noise);
        return new CrackSynthesizer.Sample(img, mask);
    }

    private static SurfaceTexture.Look look(Phenomenon kind) {
        return switch (kind) {
            case CONCRETE -> new SurfaceTexture.Look(false, QUIET.pits(), false);
            case ASPHALT -> new SurfaceTexture.Look(true, QUIET.pits(), false);
            default -> QUIET;
        };
    }

    /**
     * An oil stain (two thirds of them) or a trail of drips. The stain is larger and rounder than the crack set's
     * hard negative, whose thin slivers are often hardly there: here every image must show its stain.
     */
    private static void stain(Surface s, SplittableRandom rng) {
        if (rng.nextDouble() < 0.67) {
            // well inside the image and at most about half its width, so the stain neither misses nor fills it
            SurfaceTexture.stain(s, rng, SurfaceTexture.between(rng, 0.25, 0.75) * s.size,
                    SurfaceTexture.between(rng, 0.25, 0.75) * s.size, SurfaceTexture.between(rng, 0.12, 0.28) * s.size,
                    SurfaceTexture.between(rng, 0.45, 0.95), SurfaceTexture.between(rng, 0.45, 0.72));
        } else {
            // from the middle part, so that the trail does not leave the image before it is seen
            HardNegatives.drips(s, rng, 0.3, 0.7);
        }
    }

    /**
     * Dark voids several times as dense as on a plain surface (at most 0.24 % of it per pixel there), and
     * larger, over the whole patch or crowded into a ravelled part of it.
     */
    private static void pits(Surface s, SplittableRandom rng) {
        int size = s.size;
        double px = SurfaceTexture.scale(size);
        int n = size * size;
        int count = (int) Math.round(n * SurfaceTexture.between(rng, 0.01, 0.025) / (px * px));
        // a ravelled area: pits crowd around a centre, thinning out with distance
        boolean patch = rng.nextDouble() < 0.4;
        double cx = SurfaceTexture.between(rng, 0.2, 0.8) * size;
        double cy = SurfaceTexture.between(rng, 0.2, 0.8) * size;
        double spread = SurfaceTexture.between(rng, 0.15, 0.3) * size;
        for (int k = 0; k < count; k++) {
            double x;
            double y;
            if (patch) {
                x = cx + spread * Seeds.gaussian(rng);
                y = cy + spread * Seeds.gaussian(rng);
            } else {
                x = rng.nextDouble() * size;
                y = rng.nextDouble() * size;
            }
            s.scaleDisc(x, y, SurfaceTexture.between(rng, 0.5, 1.8) * px, SurfaceTexture.between(rng, 0.3, 0.65));
        }
    }

    /**
     * Exposed aggregate: stones two to four times as large as the speckle and far denser than the
     * texture's own, light or dark, half of them set off by a dark gap around them.
     */
    private static void stones(Surface s, SplittableRandom rng) {
        int size = s.size;
        double px = SurfaceTexture.scale(size);
        int n = size * size;
        int count = (int) Math.round(n * SurfaceTexture.between(rng, 0.008, 0.02) / (px * px));
        for (int k = 0; k < count; k++) {
            double x = rng.nextDouble() * size;
            double y = rng.nextDouble() * size;
            double r = SurfaceTexture.between(rng, 1.2, 3.2) * px;
            double f = rng.nextDouble() < 0.6 ? SurfaceTexture.between(rng, 1.15, 1.45) : SurfaceTexture.between(rng, 0.6, 0.85);
            if (rng.nextDouble() < 0.5) {
                s.scaleDisc(x, y, r * 1.3, SurfaceTexture.between(rng, 0.7, 0.85));
            }
            s.scaleDisc(x, y, r, f);
        }
    }
}
