package io.qmon.launcher;

import io.qmon.bench.BenchCommand;
import io.qmon.bench.BenchOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code qmon bench}: its options ({@link BenchOptions.Arguments}) and {@link BenchCommand}. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Measures throughput and latency end to end on the embedded stack, against the Kafka"
            + " ceiling and a PySpark baseline (see Performance in the README).")
final class BenchCli implements Callable<Integer> {
  @Mixin BenchOptions.Arguments arguments;

  @Override
  public Integer call() throws Exception {
    return BenchCommand.run(arguments.toOptions(), System.out);
  }
}
