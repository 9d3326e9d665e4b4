package io.qmon.launcher.demo;

import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.alerts.AlertNotifier;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.prometheus.PrometheusSink;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The demo's sinks: the Prometheus scrape endpoint and the alert notifier always, and a local
 * MLflow server with the MLflow writer when the project virtualenv has MLflow. Says which ran.
 */
final class DemoSinks implements AutoCloseable {
  private final List<AutoCloseable> started = new ArrayList<>();
  private PrometheusSink prometheus;
  private EmbeddedMlflow mlflow;

  /**
   * Starts the local MLflow server, if the venv has MLflow, in the background: it takes about as
   * long as the broker and registry, so the demo starts them side by side.
   */
  static CompletableFuture<Optional<EmbeddedMlflow>> startMlflowInBackground(
      StackSettings settings) {
    return CompletableFuture.supplyAsync(
        () -> {
          Optional<Path> command = EmbeddedMlflow.command(root());
          if (command.isEmpty()) {
            return Optional.empty();
          }
          try {
            return Optional.of(
                EmbeddedMlflow.start(
                    command.get(),
                    settings.home().resolve("mlflow"),
                    settings.logDir().resolve("mlflow.log"),
                    settings.startupTimeout(),
                    2,
                    settings.bindAddress()));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  static DemoSinks start(
      EmbeddedStack stack,
      StackSettings settings,
      Optional<EmbeddedMlflow> mlflowServer,
      PrintStream out) {
    DemoSinks sinks = new DemoSinks();
    try {
      Map<String, String> values = new HashMap<>();
      values.put(TrackingSinkConfig.BOOTSTRAP_SERVERS.key(), stack.bootstrapServers());
      values.put(TrackingSinkConfig.SCHEMA_REGISTRY_URL.key(), stack.schemaRegistryUrl());
      values.put(TrackingSinkConfig.PROMETHEUS_PORT.key(), "0");
      values.put(TrackingSinkConfig.PROMETHEUS_HOST.key(), settings.bindAddress());
      values.put(
          TrackingSinkConfig.ALERTS_STATE_DIR.key(),
          settings.home().resolve("alert-notifier-" + ProcessHandle.current().pid()).toString());
      if (mlflowServer.isPresent()) {
        sinks.mlflow = mlflowServer.get();
        sinks.started.add(sinks.mlflow);
        values.put(TrackingSinkConfig.MLFLOW_TRACKING_URI.key(), sinks.mlflow.url());
      }
      TrackingSinkConfig config = TrackingSinkConfig.of(values);
      sinks.prometheus = PrometheusSink.start(config, stack.schemaRegistry());
      sinks.started.add(sinks.prometheus);
      sinks.started.add(AlertNotifier.start(config, stack.schemaRegistry()));
      if (sinks.mlflow != null) {
        sinks.started.add(MlflowSink.start(config, stack.schemaRegistry()));
      }
    } catch (RuntimeException e) {
      sinks.close();
      throw e;
    }
    out.printf("  prometheus scrape endpoint http://%s/metrics%n", sinks.prometheus.scrapeTarget());
    out.println(
        sinks.mlflow == null
            ? "  MLflow: not installed in .venv (run bin/python-env to add it); MLflow writer off"
            : "  MLflow tracking server "
                + sinks.mlflow.url()
                + " (experiment qmon-demo; afterwards, to open its runs and their charts:"
                + " .venv/bin/mlflow server --host 127.0.0.1 --port 5000 --backend-store-uri"
                + " sqlite:///"
                + settings.home().resolve("mlflow/mlflow.db").toAbsolutePath()
                + " --artifacts-destination "
                + settings.home().resolve("mlflow/artifacts").toAbsolutePath()
                + ")");
    return sinks;
  }

  private static Path root() {
    String root = System.getenv("QMON_ROOT");
    return Path.of(root == null ? "." : root).toAbsolutePath();
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("qmon demo: stopping a sink failed: " + e);
      }
    }
    started.clear();
  }
}
