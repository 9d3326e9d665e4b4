package io.qmon.launcher;

import io.qmon.launcher.sweep.SweepCommand;
import io.qmon.launcher.sweep.SweepOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code qmon sweep}: its options ({@link SweepOptions.Arguments}) and {@link SweepCommand}. */
@Command(
    name = "sweep",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Runs every combination of a sweep configuration in parallel (on the embedded stack, or on"
            + " a cluster given by --kafka.bootstrap-servers and --schema-registry.url) and prints"
            + " the final JSD per configuration; the job aggregates repeats to qgm.sweeps.")
final class SweepCli implements Callable<Integer> {
  @Mixin SweepOptions.Arguments arguments;

  @Override
  public Integer call() throws Exception {
    return SweepCommand.run(arguments.toOptions(), System.out);
  }
}
