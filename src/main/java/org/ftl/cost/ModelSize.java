package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * What a network takes to ship and to hold: the bytes of the model file a device would be sent, and
 * the bytes its parameters occupy in memory.
 *
 * @param serializedBytes length of DL4J's model file (the {@link ModelSerializer} zip) without updater
 *                        state: a deployed model never trains, so the optimiser's moments are not part of it
 * @param parameters      number of parameters, as DL4J counts them (batch-norm's mean and variance included)
 * @param parameterBytes  parameters × the width of their data type (4 for float32)
 */
public record ModelSize(long serializedBytes, long parameters, long parameterBytes) {

    public static ModelSize of(MultiLayerNetwork network) {
        long params = network.numParams();
        int width = params == 0 ? 4 : network.params().dataType().width();
        return new ModelSize(serializedBytes(network), params, params * width);
    }

    /** Counts the zip's bytes as they are written rather than holding the whole file in memory (VGG16: ~60 MB). */
    static long serializedBytes(MultiLayerNetwork network) {
        CountingStream counter = new CountingStream();
        try {
            ModelSerializer.writeModel(network, counter, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    private static final class CountingStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        // ModelSerializer closes the stream it is given; nothing to release here
    }
}
