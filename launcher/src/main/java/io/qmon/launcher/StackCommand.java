package io.qmon.launcher;

import io.qmon.launcher.embedded.EmbeddedStack;
import io.qmon.launcher.embedded.StackSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code qmon stack}: starts the embedded platform (broker, registry, monitoring job) and keeps it
 * running until Ctrl-C, printing the addresses so other programs (the Python SDK, a Kafka console
 * consumer) can connect.
 */
final class StackCommand {
  private StackCommand() {}

  static int run(PrintStream out) throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties())) {
      stack.startMonitoringJob(stack.jobConfig(Map.of()));
      out.println("qmon embedded stack is up (Ctrl-C stops it)");
      out.println("  kafka bootstrap servers : " + stack.bootstrapServers());
      out.println("  schema registry url     : " + stack.schemaRegistryUrl());
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }
}
