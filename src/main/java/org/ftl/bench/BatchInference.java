package org.ftl.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.cost.LatencyProbe;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One forward pass of a DL4J network over a batch (of one image or many), the in-JVM engine the benchmark holds
 * ONNX Runtime against: input prepared once, the output in a workspace reused from run to run, every output read.
 */
final class BatchInference implements LatencyProbe.Inference {
    private static final WorkspaceConfiguration OUTPUT_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .build();

    private final MultiLayerNetwork network;
    private final INDArray batch;
    private final String workspaceId;
    private double sink;

    BatchInference(MultiLayerNetwork network, INDArray batch, String workspaceId) {
        this.network = network;
        DataType type = network.getLayerWiseConfigurations().getDataType();
        INDArray x = batch.dataType() == type ? batch : batch.castTo(type);
        this.batch = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        this.workspaceId = workspaceId;
    }

    @Override
    public void run() {
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(OUTPUT_WORKSPACE, workspaceId)) {
            INDArray out = network.output(batch, false, null, null, ws);
            sink += out.getDouble(0);
        }
    }

    double sink() {
        return sink;
    }
}
