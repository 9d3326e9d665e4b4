package io.qmon.launcher;

import io.qmon.sink.FatalErrorHandler;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.TrackingSinkMain;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The tracking sinks beside an embedded stack: a local MLflow server from the project virtualenv
 * (when it has MLflow; or a tracking URI given by the user), then the Prometheus exporter, the
 * alert notifier and the MLflow writer, started the way the sink deployable starts them ({@link
 * TrackingSinkMain#start}). Embedded sinks that die are reported, not fatal: the stack keeps
 * running for the user's producers.
 */
public final class StackSinks implements AutoCloseable {
  private final List<AutoCloseable> started = new ArrayList<>();
  private Optional<EmbeddedMlflow> mlflowServer = Optional.empty();
  private Optional<String> mlflowUrl = Optional.empty();
  private String scrapeTarget;

  private StackSinks() {}

  /**
   * Starts the local MLflow server on {@code port} (0: a free one) in the background, if the
   * project virtualenv under {@code root} has MLflow: it takes about as long as the broker and the
   * registry, so callers start them side by side. Empty when MLflow is not installed.
   */
  public static CompletableFuture<Optional<EmbeddedMlflow>> startMlflowInBackground(
      Path root, StackSettings settings, int port) {
    return CompletableFuture.supplyAsync(
        () -> {
          Optional<Path> command = EmbeddedMlflow.command(root);
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
                    settings.bindAddress(),
                    port));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /**
   * Starts the exporter on {@code prometheusPort} (0: a free one) and the alert notifier, and the
   * MLflow writer when {@code mlflowServer} runs or {@code mlflowTrackingUri} names a server;
   * {@code overrides} are further sink settings (keys of {@link TrackingSinkConfig}). Takes
   * ownership of {@code mlflowServer}.
   */
  public static StackSinks start(
      EmbeddedStack stack,
      StackSettings settings,
      Optional<EmbeddedMlflow> mlflowServer,
      Optional<String> mlflowTrackingUri,
      int prometheusPort,
      Map<String, String> overrides,
      FatalErrorHandler onFatal) {
    StackSinks sinks = new StackSinks();
    mlflowServer.ifPresent(sinks.started::add);
    sinks.mlflowServer = mlflowServer;
    sinks.mlflowUrl = mlflowTrackingUri.or(() -> mlflowServer.map(EmbeddedMlflow::url));
    try {
      TrackingSinkConfig config =
          config(stack, settings, sinks.mlflowUrl, prometheusPort, overrides);
      sinks.scrapeTarget =
          TrackingSinkMain.start(config, onFatal, sinks.started::add)
              .orElseThrow(() -> new IllegalArgumentException("the stack needs its exporter"));
    } catch (RuntimeException e) {
      sinks.close();
      throw e;
    }
    return sinks;
  }

  /** The sinks' settings: this stack's addresses and the given overrides. */
  static TrackingSinkConfig config(
      EmbeddedStack stack,
      StackSettings settings,
      Optional<String> mlflowUrl,
      int prometheusPort,
      Map<String, String> overrides) {
    Map<String, String> values = new HashMap<>();
    values.put(TrackingSinkConfig.BOOTSTRAP_SERVERS.key(), stack.bootstrapServers());
    values.put(TrackingSinkConfig.SCHEMA_REGISTRY_URL.key(), stack.schemaRegistryUrl());
    values.put(TrackingSinkConfig.PROMETHEUS_HOST.key(), settings.bindAddress());
    values.put(TrackingSinkConfig.PROMETHEUS_PORT.key(), Integer.toString(prometheusPort));
    values.put(
        TrackingSinkConfig.ALERTS_STATE_DIR.key(),
        settings.home().resolve("alert-notifier-" + ProcessHandle.current().pid()).toString());
    values.put(
        TrackingSinkConfig.SINKS.key(),
        mlflowUrl.isPresent() ? "prometheus,alerts,mlflow" : "prometheus,alerts");
    mlflowUrl.ifPresent(url -> values.put(TrackingSinkConfig.MLFLOW_TRACKING_URI.key(), url));
    // The tracking server also serves the UI: alerts link their run's page there.
    mlflowUrl
        .filter(url -> url.startsWith("http://") || url.startsWith("https://"))
        .ifPresent(url -> values.put(TrackingSinkConfig.ALERTS_MLFLOW_UI_URL.key(), url));
    values.putAll(overrides);
    return TrackingSinkConfig.of(values);
  }

  /** The repository root the qmon script runs from ({@code QMON_ROOT}; its .venv has MLflow). */
  public static Path projectRoot() {
    String root = System.getenv("QMON_ROOT");
    return Path.of(root == null ? "." : root).toAbsolutePath();
  }

  /** The MLflow tracking server (and UI) the writer sends to, if MLflow runs. */
  public Optional<String> mlflowUrl() {
    return mlflowUrl;
  }

  /**
   * Waits until the MLflow writer has written everything on the job's output topics at the time of
   * the call (see {@link MlflowSink#awaitCaughtUp}); true at once when no MLflow writer runs.
   *
   * @return false when the timeout passed first
   */
  public boolean awaitMlflowCaughtUp(Duration timeout) throws InterruptedException {
    for (AutoCloseable sink : started) {
      if (sink instanceof MlflowSink mlflow) {
        return mlflow.awaitCaughtUp(timeout);
      }
    }
    return true;
  }

  /** True when this stack started the MLflow server itself. */
  public boolean ownsMlflowServer() {
    return mlflowServer.isPresent();
  }

  /** The Prometheus scrape endpoint. */
  public String metricsUrl() {
    return "http://" + scrapeTarget + "/metrics";
  }

  @Override
  public void close() {
    for (int i = started.size() - 1; i >= 0; i--) {
      try {
        started.get(i).close();
      } catch (Exception e) {
        System.err.println("qmon: stopping a sink failed: " + e);
      }
    }
    started.clear();
  }
}
