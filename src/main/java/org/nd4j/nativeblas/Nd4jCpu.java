package org.nd4j.nativeblas;

/**
 * A compatibility name for Deeplearning4j 1.0.0-M2.1, not ND4J code: DL4J's oneDNN layer helpers
 * ({@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled}) look for
 * {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()} by reflection, but nd4j-native M2.1
 * moved that class to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu} and renamed the method
 * {@code isUseONEDNN}. Without this class DL4J logs "Cannot find class [org.nd4j.nativeblas.Nd4jCpu$Environment]"
 * and never uses oneDNN for its layers, even with nd4j-native's oneDNN build. FTL asks for the helpers only
 * while it builds a network to train (see {@code org.ftl.backbone.OneDnnTraining}). Delete this file when DL4J is
 * upgraded past the mismatch.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The one method DL4J's check calls, answered by nd4j-native's own environment. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        public boolean isUseMKLDNN() {
            return org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        }
    }
}
