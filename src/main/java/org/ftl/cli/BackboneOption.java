package org.ftl.cli;

import org.ftl.config.SettingOverride;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code --backbone}, the option standing for backbone.source, shared by the commands that read a backbone. */
final class BackboneOption {
    @Option(names = "--backbone", paramLabel = "SPEC",
            description = "alexnet or vgg16 (built in: trained on the data and cached, or untrained where the command "
                    + "says), a DL4J .zip, a Keras .h5, an ONNX .onnx, or vgg16-weights:FILE.h5 (default: backbone.source).")
    String backbone;

    /** Adds the override when the option was given. */
    void addTo(List<SettingOverride> overrides) {
        if (backbone != null) {
            overrides.add(SettingOverride.option("backbone.source", backbone, "--backbone"));
        }
    }
}
