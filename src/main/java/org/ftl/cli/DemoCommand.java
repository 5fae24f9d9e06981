package org.ftl.cli;

import org.ftl.backbone.Backbones;
import org.ftl.job.FtlConfig;
import org.ftl.data.synth.SynthSettings;
import org.ftl.data.DataFiles;
import org.ftl.data.DataLayout;
import org.ftl.data.synth.SynthLayoutWriter;
import org.ftl.sweep.SweepJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code ftl demo}: the whole method on a laptop, from nothing to a ranked run. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"The embedded default end to end, in local Spark: generate crack data if the data folder has none "
                + "(existing data is used as it is), and the broad task the backbone is pretrained on "
                + "(backbone.pretrain.data) likewise, pretrain the small backbone unless it is cached, sweep the "
                + "candidates, print the winner and where the run was written.",
                "Uses the demo profile (conf/demo.conf) unless --conf says otherwise."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    RunPathOptions paths;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FtlConfig c = config.load("demo", paths.overrides());
        // data.root may be on HDFS or S3 with data already there; only a missing local layout is generated
        if (!hasLayout(c, c.data().root())) {
            Path root = SynthCommand.localFolder(c.data().root(), "data.root");
            SynthLayoutWriter writer = new SynthLayoutWriter(c.synth(), c.seed());
            int total = writer.plan().total();
            System.out.printf(Locale.ROOT, "demo: no data in %s, generating %d synthetic %dx%d crack images%n", root, total,
                    c.synth().size(), c.synth().size());
            writer.write(root, false, "remove it or pass another --data",
                    new ProgressLine(spec.commandLine().getErr(), "synth", "images", total));
        } else {
            System.out.println("demo: using the data in " + c.data().root());
        }
        if (c.backbone().pretrains() && Backbones.Source.parse(c.backbone().source()) instanceof Backbones.Builtin) {
            String pretrain = c.backbone().pretrainData();
            if (!hasLayout(c, pretrain)) {
                Path root = SynthCommand.localFolder(pretrain, "backbone.pretrain.data");
                SynthLayoutWriter writer = new SynthLayoutWriter(c.synth().inMode(SynthSettings.BROAD), c.seed());
                int total = writer.plan().total();
                System.out.printf(Locale.ROOT, "demo: no pretraining data in %s, generating %d synthetic %dx%d images of %d "
                                + "surface classes (the broad task the backbone learns its filters on)%n", root, total,
                        c.synth().size(), c.synth().size(), c.synth().broadClasses().size());
                writer.write(root, false, "remove it or set another backbone.pretrain.data",
                        new ProgressLine(spec.commandLine().getErr(), "synth", "images", total));
            } else {
                System.out.println("demo: pretraining the backbone on the data in " + pretrain);
            }
        }
        SweepJob.Result r = new SweepJob(c, System.out).run();
        return r.regression() ? ExitCode.REGRESSION : r.failed() > 0 ? ExitCode.PARTIAL : ExitCode.OK;
    }

    private static boolean hasLayout(FtlConfig c, String root) {
        return DataFiles.isDirectory(DataFiles.child(root, DataLayout.DATASET), c.spark().hadoopConfiguration());
    }
}
