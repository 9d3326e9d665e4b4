package io.qmon.launcher.demo;

import io.qmon.launcher.StackSinks;
import io.qmon.sink.FatalErrorHandler;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.PrintStream;
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

  @Override
  public void close() {
    sinks.close();
  }
}
