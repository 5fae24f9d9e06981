package org.ftl.infer;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import org.bytedeco.javacpp.FloatPointer;

import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * An ONNX model loaded in ONNX Runtime, the runtime edge devices use, set up the way a device runs it: a fixed
 * number of intra-op threads (one, on a small device), sequential execution, every graph optimisation on. The
 * sweep's feature extraction, its latency probe and {@code ftl predict} all run their networks this way.
 *
 * <p>A session may be run from several threads at once ({@link Batch}es are each thread's own). Close it when done:
 * its weights and memory arena live outside the Java heap.
 */
public final class OnnxModel implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR, "ftl");

    private final OrtSession session;
    private final String input;
    private final String output;
    private final long[] imageShape; // [C, H, W]
    private final long width;        // of the output, per image

    private OnnxModel(OrtSession session) throws OrtException {
        this.session = session;
        Map.Entry<String, NodeInfo> in = session.getInputInfo().entrySet().iterator().next();
        Map.Entry<String, NodeInfo> out = session.getOutputInfo().entrySet().iterator().next();
        this.input = in.getKey();
        this.output = out.getKey();
        long[] inShape = ((TensorInfo) in.getValue().getInfo()).getShape();
        long[] outShape = ((TensorInfo) out.getValue().getInfo()).getShape();
        this.imageShape = Arrays.copyOfRange(inShape, 1, inShape.length);
        this.width = outShape[outShape.length - 1];
        if (imageShape.length != 3 || outShape.length != 2 || width < 1) {
            throw new IllegalArgumentException("an FTL model takes [N, C, H, W] and gives [N, d]: "
                    + Arrays.toString(inShape) + " -> " + Arrays.toString(outShape));
        }
    }

    /**
     * A model from its bytes, run on {@code threads} intra-op threads.
     *
     * @throws IllegalArgumentException when ONNX Runtime cannot load it (with its message)
     */
    public static OnnxModel load(byte[] model, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // worker threads that spin between calls would take cores from the other tasks of an executor
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            return new OnnxModel(ENV.createSession(model, options));
        } catch (OrtException e) {
            throw new IllegalArgumentException("ONNX Runtime cannot load the model: " + e.getMessage(), e);
        }
    }

    /** Values per image of the output: classes of a classifier, d of a feature extractor. */
    public long outputWidth() {
        return width;
    }

    /** [C, H, W] of one input image. */
    public long[] imageShape() {
        return imageShape.clone();
    }

    /** The model's metadata (a classifier's labels, input and preprocessing). */
    public Map<String, String> metadata() {
        try {
            return session.getMetadata().getCustomMetadata();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Input and output buffers for batches of {@code n} images, made once and reused by every run. */
    public Batch batch(int n) {
        return new Batch(n);
    }

    /** Runs {@code n} images (C·H·W values each, channel-first) and returns their outputs [n × width]. */
    public float[] run(float[] images, int n) {
        return run(images, n, n);
    }

    /**
     * Runs {@code n} images {@code batchSize} at a time (the last call takes the rest), as the sweep's feature
     * extraction does, and returns their outputs [n × width].
     */
    public float[] run(float[] images, int n, int batchSize) {
        int per = Math.toIntExact(imageShape[0] * imageShape[1] * imageShape[2]);
        if (images.length < (long) n * per) {
            throw new IllegalArgumentException(images.length + " values for " + n + " images of " + per);
        }
        int w = Math.toIntExact(width);
        float[] values = new float[Math.multiplyExact(n, w)];
        Batch full = null;
        try {
            for (int start = 0; start < n; start += batchSize) {
                int m = Math.min(batchSize, n - start);
                if (full == null && m == batchSize) {
                    full = batch(batchSize);
                }
                Batch b = m == batchSize ? full : batch(m);
                try {
                    b.input().put(images, start * per, m * per);
                    b.run().get(values, start * w, m * w);
                } finally {
                    if (b != full) {
                        b.close();
                    }
                }
            }
        } finally {
            if (full != null) {
                full.close();
            }
        }
        return values;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A batch's native input and output, pinned: a run reads {@link #input()} and writes into its output buffer,
     * allocating nothing, as a device's inference loop does. One thread at a time.
     *
     * <p>The buffers are JavaCPP's, freed by {@link #close} and counted against its limits
     * ({@code org.bytedeco.javacpp.maxbytes}): direct ByteBuffers are freed only when the garbage collector finds
     * them, and the demo's 508 feature batches (3 MB each) piled up to the JVM's direct-memory limit between
     * collections of a heap that had room.
     */
    public final class Batch implements AutoCloseable {
        private final FloatPointer inMemory;
        private final FloatPointer outMemory;
        private final FloatBuffer in;
        private final FloatBuffer out;
        private final OnnxTensor inTensor;
        private final OnnxTensor outTensor;
        private final Map<String, OnnxTensor> inputs;
        private final Map<String, OnnxTensor> outputs;

        private Batch(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("a batch has at least one image: " + n);
            }
            long per = imageShape[0] * imageShape[1] * imageShape[2];
            inMemory = new FloatPointer(Math.multiplyExact(n, per));
            outMemory = new FloatPointer(Math.multiplyExact(n, width));
            in = inMemory.asBuffer();
            out = outMemory.asBuffer();
            OnnxTensor inT = null;
            try {
                inT = OnnxTensor.createTensor(ENV, in, new long[] {n, imageShape[0], imageShape[1], imageShape[2]});
                outTensor = OnnxTensor.createTensor(ENV, out, new long[] {n, width});
            } catch (OrtException e) {
                if (inT != null) {
                    inT.close();
                }
                inMemory.close();
                outMemory.close();
                throw new IllegalStateException(e);
            }
            inTensor = inT;
            inputs = Map.of(input, inTensor);
            outputs = Map.of(output, outTensor);
        }

        /** The input, [n, C, H, W] in 'c' order, positioned at 0: fill it before {@link #run}. */
        public FloatBuffer input() {
            return in.clear();
        }

        /** Runs the batch; the result is this batch's output buffer [n, width], overwritten by the next run. */
        public FloatBuffer run() {
            try {
                session.run(inputs, outputs).close(); // pinned: the result holds no new values
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime: " + e.getMessage(), e);
            }
            return out.duplicate().clear();
        }

        @Override
        public void close() {
            inTensor.close();
            outTensor.close();
            inMemory.close();
            outMemory.close();
        }
    }
}
