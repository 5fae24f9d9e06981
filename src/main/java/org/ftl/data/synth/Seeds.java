package org.ftl.data.synth;

/**
 * Derives independent seeds from a seed and a few integers. Every image draws its randomness from
 * (run seed, split, class, index) alone, so images can be made in any order, on any number of threads,
 * and a set of 200 starts with the same images as a set of 100.
 */
final class Seeds {
    private Seeds() {
    }

    /** A well-mixed 64-bit seed from {@code seed} and {@code part} (Stafford's "Mix13" finalizer of SplitMix64). */
    static long mix(long seed, long part) {
        long z = seed + 0x9E3779B97F4A7C15L * (part + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * A bell-shaped random number with mean 0 and variance 1 (the sum of four uniforms, scaled; it never
     * exceeds 3.5 in size). Not the JDK's nextGaussian: that one calls Math.exp on rare paths and its
     * algorithm changed between JDK releases, and the same seed must give the same bytes on every JVM.
     * Everything else here is plain arithmetic, Math.sqrt (exactly rounded) or StrictMath for the same reason.
     */
    static double gaussian(java.util.SplittableRandom rng) {
        double sum = rng.nextDouble() + rng.nextDouble() + rng.nextDouble() + rng.nextDouble();
        return (sum - 2) * 1.7320508075688772; // sqrt(3): four uniforms have variance 4/12
    }

    /** The seed of one image of the broad task; apart from the crack data set's, so its crack images differ. */
    static long broadImage(long seed, Split split, Phenomenon kind, int index) {
        // by name, not position, so a class keeps its images whichever classes are chosen and in what order
        return mix(mix(mix(mix(seed, 0x62726F6164L), split.ordinal()), kind.configName().hashCode()), index);
    }

    /** The seed of one image. */
    static long image(long seed, Split split, boolean crack, int index) {
        return mix(mix(mix(seed, split.ordinal()), crack ? 1 : 0), index);
    }
}
