package org.ftl.cost;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One forward pass of a deployable network on one image, as a device would run it, with nothing else
 * timed: the image is prepared once (the network's data type, contiguous), and the output goes to a
 * workspace that is reused from run to run instead of a fresh native array per call.
 */
final class NetworkInference implements LatencyProbe.Inference {
    /** Learns the output's size on the first run, then hands the same memory back on every run. */
    private static final WorkspaceConfiguration OUTPUT_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .build();

    private final MultiLayerNetwork network;
    private final INDArray image;
    private final String workspaceId;
    /** Every output is read into this, so no run's result is unused. */
    private double sink;

    NetworkInference(MultiLayerNetwork network, INDArray image, String workspaceId) {
        if (image.rank() < 2 || image.size(0) != 1) {
            throw new IllegalArgumentException("latency is measured per image at batch 1: image shape "
                    + java.util.Arrays.toString(image.shape()));
        }
        this.network = network;
        DataType type = network.getLayerWiseConfigurations().getDataType();
        INDArray x = image.dataType() == type ? image : image.castTo(type);
        this.image = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        this.workspaceId = workspaceId;
    }

    @Override
    public void run() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(OUTPUT_WORKSPACE, workspaceId)) {
            INDArray out = network.output(image, false, null, null, ws);
            sink += out.getDouble(0);
        }
    }

    double sink() {
        return sink;
    }
}
