package io.qmon.launcher;

import io.qmon.launcher.demo.DemoCommand;
import io.qmon.launcher.demo.DemoOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code qmon demo}: its options ({@link DemoOptions.Arguments}) and {@link DemoCommand}. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description =
        "Starts the embedded stack and its sinks on 127.0.0.1, trains simulated QGMs for about a"
            + " minute while a live table shows their metrics, then prints a summary.")
final class DemoCli implements Callable<Integer> {
  @Mixin DemoOptions.Arguments arguments;

  @Override
  public Integer call() throws Exception {
    return DemoCommand.run(arguments.toOptions(), System.out);
  }
}
