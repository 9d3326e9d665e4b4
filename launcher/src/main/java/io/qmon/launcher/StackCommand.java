package io.qmon.launcher;

import io.qmon.launcher.embedded.EmbeddedStack;
import io.qmon.launcher.embedded.StackSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code qmon stack}: starts the embedded platform (broker, registry, monitoring job) and keeps it
 * running until Ctrl-C, printing the addresses so other programs (the Python SDK, a Kafka console
 * consumer) can connect.
 */
final class StackCommand {
  private StackCommand() {}

  static int run(PrintStream out) throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch cleanedUp = new CountDownLatch(1);
    // Ctrl-C runs this hook; it lets the main thread stop the stack and waits for it, because the
    // JVM halts as soon as its hooks return.
    Thread onCtrlC =
        new Thread(
            () -> {
              stopped.countDown();
              try {
                cleanedUp.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "qmon-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties())) {
      stack.startMonitoringJob(stack.jobConfig(Map.of()));
      out.println("qmon embedded stack is up (Ctrl-C stops it)");
      out.println("  kafka bootstrap servers : " + stack.bootstrapServers());
      out.println("  schema registry url     : " + stack.schemaRegistryUrl());
      stopped.await();
    } finally {
      cleanedUp.countDown();
    }
    return 0;
  }
}
