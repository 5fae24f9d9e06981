package org.ftl.data.synth;

/**
 * Smooth value noise: random values on a square lattice, blended with a smoothstep. Lattice values come
 * from hashing (seed, x, y) rather than from a stateful generator, so a field depends only on its seed and
 * scale, never on the order in which pixels or images are visited (which keeps parallel generation
 * byte-identical).
 */
final class ValueNoise {
    private ValueNoise() {
    }

    /**
     * A size x size field of fractal (multi-octave) noise with mean about 0 and values within [-1, 1]:
     * octave k has cells of {@code cellPx / 2^k} pixels and weight {@code gain^k}.
     */
    static float[] fractal(long seed, int size, double cellPx, int octaves, double gain) {
        float[] out = new float[size * size];
        double amp = 1;
        double total = 0;
        double cell = cellPx;
        for (int k = 0; k < octaves && cell >= 0.75; k++) {
            addOctave(out, size, Seeds.mix(seed, k), cell, (float) amp);
            total += amp;
            amp *= gain;
            cell /= 2;
        }
        if (total > 0) {
            float norm = (float) (1 / total);
            for (int i = 0; i < out.length; i++) {
                out[i] *= norm;
            }
        }
        return out;
    }

    /** Adds {@code amp} times one octave of noise with lattice cells of {@code cell} pixels. */
    static void addOctave(float[] out, int size, long seed, double cell, float amp) {
        // a random sub-cell offset, so the lattice never lines up with the image border in every image
        double offX = unit(Seeds.mix(seed, 1)) * 1000;
        double offY = unit(Seeds.mix(seed, 2)) * 1000;
        int[] ix = new int[size];
        float[] sx = new float[size];
        for (int x = 0; x < size; x++) {
            double f = (x + 0.5) / cell + offX;
            int i = (int) Math.floor(f);
            ix[x] = i;
            sx[x] = smooth((float) (f - i));
        }
        for (int y = 0; y < size; y++) {
            double f = (y + 0.5) / cell + offY;
            int iy = (int) Math.floor(f);
            float sy = smooth((float) (f - iy));
            int row = y * size;
            int lastI = Integer.MIN_VALUE;
            float v00 = 0, v10 = 0, v01 = 0, v11 = 0;
            for (int x = 0; x < size; x++) {
                int i = ix[x];
                if (i != lastI) {
                    v00 = lattice(seed, i, iy);
                    v10 = lattice(seed, i + 1, iy);
                    v01 = lattice(seed, i, iy + 1);
                    v11 = lattice(seed, i + 1, iy + 1);
                    lastI = i;
                }
                float s = sx[x];
                float top = v00 + (v10 - v00) * s;
                float bottom = v01 + (v11 - v01) * s;
                out[row + x] += amp * (top + (bottom - top) * sy);
            }
        }
    }

    /** One-dimensional smooth noise in [-1, 1] with a unit lattice, e.g. for widths along a crack. */
    static double along(long seed, double t) {
        int i = (int) Math.floor(t);
        float s = smooth((float) (t - i));
        float a = lattice(seed, i, 0);
        float b = lattice(seed, i + 1, 0);
        return a + (b - a) * s;
    }

    /** The lattice value at (x, y): a hash mapped to [-1, 1]. */
    static float lattice(long seed, int x, int y) {
        long h = Seeds.mix(Seeds.mix(seed, x), y);
        return (float) (((h >>> 40) * 0x1.0p-24) * 2 - 1);
    }

    private static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    private static float smooth(float t) {
        return t * t * (3 - 2 * t);
    }
}
