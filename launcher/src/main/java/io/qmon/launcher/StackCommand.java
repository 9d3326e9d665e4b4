package io.qmon.launcher;

import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.JobWatcher;
import io.qmon.stack.StackSettings;
import java.io.PrintStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code qmon stack}: starts the embedded platform (broker, registry, monitoring job) and keeps it
 * running until Ctrl-C, printing the addresses so other programs (the Python SDK, a Kafka console
 * consumer) can connect. If the monitoring job fails for good, it says so (the cause and where the
 * logs are), stops the stack and exits with status 1 instead of leaving a stack without its job.
 */
final class StackCommand {
  private StackCommand() {}

  /** Exit status when the monitoring job failed. */
  static final int JOB_FAILED = 1;

  static int run(PrintStream out, String[] args) throws Exception {
    return run(out, System.err, args);
  }

  /** Runs the stack; {@code --fresh} deletes the state kept under {@code qmon.home} first. */
  static int run(PrintStream out, PrintStream err, String[] args) throws Exception {
    boolean fresh = false;
    for (String arg : args) {
      if (!arg.equals("--fresh")) {
        throw new IllegalArgumentException("unknown option " + arg + "; known: --fresh");
      }
      fresh = true;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean ctrlC = new AtomicBoolean();
    CountDownLatch cleanedUp = new CountDownLatch(1);
    // Ctrl-C runs this hook; it lets the main thread stop the stack and waits for it, because the
    // JVM halts as soon as its hooks return.
    Thread onCtrlC =
        new Thread(
            () -> {
              ctrlC.set(true);
              stopped.countDown();
              try {
                cleanedUp.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "qmon-stack-shutdown");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    StackSettings settings = StackSettings.fromSystemProperties(true);
    if (fresh) {
      settings = settings.withFreshState();
    }
    try (EmbeddedStack stack = EmbeddedStack.start(settings)) {
      JobWatcher job = JobWatcher.watch(stack.startMonitoringJob(stack.jobConfig(Map.of())));
      job.ended().thenRun(stopped::countDown);
      out.println("qmon embedded stack is up (Ctrl-C stops it)");
      out.println("  kafka bootstrap servers : " + stack.bootstrapServers());
      out.println("  schema registry url     : " + stack.schemaRegistryUrl());
      out.println("  listening on            : " + settings.bindAddress() + " (qmon.bind-address)");
      out.println("  logs                    : " + settings.logDir());
      out.println(
          "  state                   : "
              + (stack.persistent()
                  ? settings.home() + " (kept; --fresh or -Dqmon.persist=false to start empty)"
                  : "temporary (qmon.persist=false)"));
      out.println("  job started from        : " + stack.startedFrom().orElse("?"));
      stopped.await();
      Optional<String> ended = job.endReason();
      if (ended.isPresent() && !ctrlC.get()) {
        out.flush();
        err.println(JobWatcher.failureReport("qmon stack", ended.get(), settings.logDir()));
        err.flush();
        return JOB_FAILED;
      }
    } finally {
      cleanedUp.countDown();
    }
    return 0;
  }
}
