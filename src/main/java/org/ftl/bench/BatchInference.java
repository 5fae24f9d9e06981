package org.ftl.bench;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.ftl.cost.LatencyProbe;
import org.ftl.cost.OpProgram;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One forward pass over a whole batch, for throughput. The cost package's own inference is per image at
 * batch 1 by design (it refuses a batch); this is its batch counterpart with the same care: input prepared
 * once, every output read. The network runs as an {@link OpProgram} at the batch's size, as the sweep's feature
 * extraction runs it, or, when it is not one a program runs, through DL4J with its output in a reused workspace.
 */
final class BatchInference implements LatencyProbe.Inference {
    private static final WorkspaceConfiguration OUTPUT_WORKSPACE = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.STRICT)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .build();

    private final MultiLayerNetwork network;
    private final OpProgram program; // null: DL4J's forward pass
    private final INDArray batch;
    private final String workspaceId;
    private double sink;

    BatchInference(MultiLayerNetwork network, INDArray batch, String workspaceId) {
        this.network = network;
        DataType type = network.getLayerWiseConfigurations().getDataType();
        INDArray x = batch.dataType() == type ? batch : batch.castTo(type);
        this.batch = x.isView() || x.ordering() != 'c' ? x.dup('c') : x;
        this.workspaceId = workspaceId;
        this.program = x.rank() != 4 ? null
                : OpProgram.of(network, (int) x.size(0), x.size(1), x.size(2), x.size(3)).orElse(null);
    }

    @Override
    public void run() {
        if (program != null) {
            sink += program.output(batch).getDouble(0);
            return;
        }
        try (MemoryWorkspace ws = Nd4j.getWorkspaceManager().getAndActivateWorkspace(OUTPUT_WORKSPACE, workspaceId)) {
            INDArray out = network.output(batch, false, null, null, ws);
            sink += out.getDouble(0);
        }
    }

    double sink() {
        return sink;
    }
}
