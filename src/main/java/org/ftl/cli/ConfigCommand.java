package org.ftl.cli;

import org.ftl.job.FtlConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code ftl config}: prints the settings a command would run with, after every override. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Print the merged settings (reference.conf, profile, environment, --set) and check them.")
final class ConfigCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        FtlConfig c = config.load(List.of());
        spec.commandLine().getOut().println(c.render());
        return ExitCode.OK;
    }
}
