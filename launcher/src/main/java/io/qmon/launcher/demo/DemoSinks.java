package io.qmon.launcher.demo;

import io.qmon.launcher.StackSinks;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's sinks, started as {@code qmon stack} starts them ({@link StackSinks}): the Prometheus
 * scrape endpoint and the alert notifier always, and a local MLflow server with the MLflow writer
 * when the project virtualenv has MLflow. Says which ran.
 */
final class DemoSinks implements AutoCloseable {
  private final StackSinks sinks;

  private DemoSinks(StackSinks sinks) {
    this.sinks = sinks;
  }

  /**
   * Starts the local MLflow server, if the venv has MLflow, in the background: it takes about as
   * long as the broker and registry, so the demo starts them side by side.
   */
  static CompletableFuture<Optional<EmbeddedMlflow>> startMlflowInBackground(
      StackSettings settings) {
    return StackSinks.startMlflowInBackground(StackSinks.projectRoot(), settings, 0);
  }

  static DemoSinks start(
      EmbeddedStack stack,
      StackSettings settings,
      Optional<EmbeddedMlflow> mlflowServer,
      PrintStream out) {
    DemoSinks sinks =
        new DemoSinks(
            StackSinks.start(
                stack,
                settings,
                mlflowServer,
                Optional.empty(),
                0,
                Map.of(),
                FatalErrorHandler.logOnly()));
    out.printf("  prometheus scrape endpoint %s%n", sinks.sinks.metricsUrl());
    out.println(
        sinks
            .sinks
            .mlflowUrl()
            .map(
                url ->
                    "  MLflow tracking server "
                        + url
                        + " (experiment qmon-demo; afterwards, to open its runs and their charts:"
                        + " .venv/bin/mlflow server --host 127.0.0.1 --port 5000 --backend-store-uri"
                        + " sqlite:///"
                        + settings.home().resolve("mlflow/mlflow.db").toAbsolutePath()
                        + " --artifacts-destination "
                        + settings.home().resolve("mlflow/artifacts").toAbsolutePath()
                        + ")")
            .orElse(
                "  MLflow: not installed in .venv (run bin/python-env to add it); MLflow writer"
                    + " off"));
    return sinks;
  }

  /**
   * Waits until MLflow holds everything the job published so far (runs closed with their artifacts,
   * the sweep's statistics, table and chart), so the runs are complete when the demo ends; says so,
   * or that the writer was still behind.
   */
  void awaitMlflow(Duration timeout, PrintStream out) throws InterruptedException {
    if (sinks.mlflowUrl().isEmpty()) {
      return;
    }
    long start = System.nanoTime();
    if (sinks.awaitMlflowCaughtUp(timeout)) {
      out.printf(
          "  MLflow holds every run, the sweep's statistics and its table (waited %.1f s)%n",
          DemoCommand.seconds(System.nanoTime() - start));
    } else {
      out.printf(
          "  MLflow writer still behind after %d s: some runs or sweep statistics may be missing"
              + " there (see the log)%n",
          timeout.toSeconds());
    }
  }

  @Override
  public void close() {
    sinks.close();
  }
}
