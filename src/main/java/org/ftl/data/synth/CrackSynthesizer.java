package org.ftl.data.synth;

import java.awt.image.BufferedImage;
import java.util.SplittableRandom;

/**
 * Makes one synthetic image, and for a crack image its exact mask, from (seed, split, class, index) alone.
 *
 * <p>Each image's generator is split into independent streams for the surface, the crack, the hard
 * negatives and the sensor noise. Leaving the crack out ({@link #surfaceOnly}) therefore gives the very same
 * surface and noise, which is how the tests check that the mask is exactly what the crack changed.
 *
 * <p>The mask is exactly the set of pixels the crack darkened: the crack's soft, anti-aliased rim is kept
 * only where it darkens a pixel's shade by {@link CrackPath#MIN_DARKENING} (8 %) or more, and is not drawn
 * at all below that. A darkened pixel's shade is at least {@link Surface#DARKEST}, so 8 % is always at
 * least one grey level in the 8-bit image.
 */
public final class CrackSynthesizer {
    /** One generated image; {@code mask} (row-major, size x size) is all false for a background image. */
    public record Sample(BufferedImage image, boolean[] mask) {
        public int maskPixels() {
            int n = 0;
            for (boolean b : mask) {
                n += b ? 1 : 0;
            }
            return n;
        }
    }

    /** Crack images get a hard negative this much less often than background ones (see {@link #render}). */
    private static final double CRACK_HARD_NEGATIVE_SHARE = 0.25;

    private final int size;
    private final double difficulty;
    private final double hardNegativeFraction;
    private final SurfaceTexture texture;

    /**
     * @param size                 side of the square images in pixels
     * @param difficulty           0 = wide dark cracks on plain texture … 1 = faint hairlines on busy texture
     * @param hardNegativeFraction share of background images given a joint, scratches, an edge or a dark stain
     */
    public CrackSynthesizer(int size, double difficulty, double hardNegativeFraction) {
        if (size < 8) {
            throw new IllegalArgumentException("size " + size + " < 8");
        }
        if (!(difficulty >= 0 && difficulty <= 1) || !(hardNegativeFraction >= 0 && hardNegativeFraction <= 1)) {
            throw new IllegalArgumentException("difficulty and hard-negative fraction must be within [0, 1]");
        }
        this.size = size;
        this.difficulty = difficulty;
        this.hardNegativeFraction = hardNegativeFraction;
        this.texture = new SurfaceTexture(size, difficulty);
    }

    public int size() {
        return size;
    }

    /** The image number {@code index} of one class in one split, for a run seed. */
    public Sample synthesize(long seed, Split split, boolean crack, int index) {
        return render(seed, split, crack, index, true);
    }

    /** The same image as {@link #synthesize} with its crack left out: same surface, same noise (a test hook). */
    Sample surfaceOnly(long seed, Split split, int index) {
        return render(seed, split, true, index, false);
    }

    private Sample render(long seed, Split split, boolean crack, int index, boolean drawCrack) {
        SplittableRandom image = new SplittableRandom(Seeds.image(seed, split, crack, index));
        SplittableRandom surfaceRng = image.split();
        SplittableRandom crackRng = image.split();
        SplittableRandom negativeRng = image.split();
        SplittableRandom sensorRng = image.split();

        Surface surface = texture.render(surfaceRng);
        // Crack images sometimes carry a joint or stain too, so "has a straight dark line" never by
        // itself means Background; the crack is then drawn over it.
        double negativeChance = crack ? hardNegativeFraction * CRACK_HARD_NEGATIVE_SHARE : hardNegativeFraction;
        if (negativeRng.nextDouble() < negativeChance) {
            HardNegatives.draw(surface, negativeRng, difficulty);
        }
        // once, before the crack: the crack needs shade >= DARKEST to change every pixel it darkens
        surface.clamp();
        boolean[] mask;
        if (crack) {
            ShadeLayer cracks = CrackPath.draw(crackRng, size, difficulty);
            if (drawCrack) {
                cracks.applyTo(surface);
            }
            mask = cracks.touched();
        } else {
            mask = new boolean[size * size];
        }
        double noise = 1.5 + 3 * sensorRng.nextDouble() * (0.6 + 0.8 * difficulty);
        return new Sample(surface.toImage(sensorRng, noise), mask);
    }
}
