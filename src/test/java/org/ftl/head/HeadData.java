package org.ftl.head;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Small synthetic feature sets for the head's tests. */
final class HeadData {
    private HeadData() {
    }

    static List<String> classes(int k) {
        List<String> names = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            names.add("Class" + c);
        }
        return names;
    }

    /**
     * Gaussian blobs: class c's mean is {@code separation} along a random direction of its own; features get an
     * offset and a spread per column so that standardisation has something to do.
     */
    static LabelledFeatures blobs(int n, int d, int k, double separation, long seed) {
        Random r = new Random(seed);
        double[][] centres = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                centres[c][j] = r.nextGaussian() * separation / Math.sqrt(d);
            }
        }
        double[] offset = new double[d];
        double[] spread = new double[d];
        for (int j = 0; j < d; j++) {
            offset[j] = 3 * r.nextGaussian();
            spread[j] = 0.5 + 2 * r.nextDouble();
        }
        float[] v = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % k;
            labels[i] = c;
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) (offset[j] + spread[j] * (centres[c][j] + r.nextGaussian()));
            }
        }
        return new LabelledFeatures(new FeatureMatrix(v, n, d), labels, classes(k));
    }

    /**
     * Two isotropic Gaussian classes whose means differ by {@code separation} spread over every feature: the
     * class-mean direction is the best classifier, which strong L2 regularisation approaches and weak
     * regularisation, with about as many features as images, overfits away from.
     */
    static LabelledFeatures isotropic(int n, int d, double separation, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        int[] labels = new int[n];
        double shift = separation / 2 / Math.sqrt(d);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double s = labels[i] == 1 ? shift : -shift;
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) (s + r.nextGaussian());
            }
        }
        return new LabelledFeatures(new FeatureMatrix(v, n, d), labels, classes(2));
    }

    /**
     * The class is in the difference of two features that share a large common noise: x0 = z + s + e0,
     * x1 = z + e1 with z ~ N(0, 9) and s = ±1, plus pure-noise features. Only a weakly regularised head finds
     * x0 − x1; a strongly regularised one leans towards the class-mean direction (x0 alone) and is near chance.
     */
    static LabelledFeatures sharedNoise(int n, int noiseFeatures, long seed) {
        Random r = new Random(seed);
        int d = 2 + noiseFeatures;
        float[] v = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            double s = labels[i] == 1 ? 1 : -1;
            double z = 3 * r.nextGaussian();
            v[i * d] = (float) (z + s + 0.1 * r.nextGaussian());
            v[i * d + 1] = (float) (z + 0.1 * r.nextGaussian());
            for (int j = 2; j < d; j++) {
                v[i * d + j] = (float) r.nextGaussian();
            }
        }
        return new LabelledFeatures(new FeatureMatrix(v, n, d), labels, classes(2));
    }

    /** Features and labels drawn independently: nothing to learn. */
    static LabelledFeatures noise(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n * d];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(2);
            for (int j = 0; j < d; j++) {
                v[i * d + j] = (float) r.nextGaussian();
            }
        }
        return new LabelledFeatures(new FeatureMatrix(v, n, d), labels, classes(2));
    }
}
