package org.ftl.backbone;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Builds the network a backbone is trained as with Deeplearning4j's oneDNN layer helpers (convolution, batch-norm,
 * pooling run as oneDNN primitives) when nd4j-native is its oneDNN build, and without them otherwise.
 *
 * <p>Why: DL4J's own convolution is im2col, a strided copy of the columns and a matrix product; measured on 2 cores
 * (half-width AlexNet, 64x64, batch 32) its copies and OpenMP waits cost 14–19 ms of CPU per training image, against
 * 5 ms with the helpers on the oneDNN build. On the plain build the helpers call libnd4j's generic conv2d and are
 * slower (21 ms), so they are asked for only when the library says it has oneDNN.
 *
 * <p>How: DL4J 1.0.0-M2.1 creates helpers only when the system property {@value #DISABLE_PROPERTY} is "false" at the
 * moment a layer is made (its default is "true"), and finds oneDNN through a class name nd4j-native no longer has
 * (see {@link org.nd4j.nativeblas.Nd4jCpu}). The property is set for the one {@code init()} of the training network
 * and put back, so the networks FTL prunes, measures and deploys keep DL4J's plain layers.
 */
final class OneDnnTraining {
    static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";
    private static final Object PROPERTY_LOCK = new Object();
    private static volatile Boolean available;

    private OneDnnTraining() {
    }

    /** Whether the loaded libnd4j was built with oneDNN. */
    static boolean available() {
        Boolean a = available;
        if (a == null) {
            org.nd4j.linalg.factory.Nd4j.getBackend(); // loads the native library before it is asked
            a = NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo().contains("HAVE_ONEDNN");
            available = a;
        }
        return a;
    }

    /** An initialised network of {@code conf}, its layers on oneDNN when {@link #available()}. */
    static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        if (!available()) {
            net.init();
            return net;
        }
        synchronized (PROPERTY_LOCK) {
            String before = System.getProperty(DISABLE_PROPERTY);
            System.setProperty(DISABLE_PROPERTY, "false");
            try {
                net.init();
            } finally {
                if (before == null) {
                    System.clearProperty(DISABLE_PROPERTY);
                } else {
                    System.setProperty(DISABLE_PROPERTY, before);
                }
            }
        }
        return net;
    }
}
