package io.qmon.sink;

import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.alerts.AlertNotifier;
import io.qmon.sink.alerts.NotifierMetrics;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.mlflow.MlflowSinkMetrics;
import io.qmon.sink.prometheus.PrometheusSink;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chosen sinks against a cluster until terminated, or until one of them dies: then it
 * closes the others and exits with status {@value SinkSupervisor#EXIT_SINK_DIED}, so a supervisor
 * (systemd, Kubernetes) restarts the process instead of leaving a half-working sink running.
 *
 * <p>Usage: {@code TrackingSinkMain [--config sink.properties] [key=value ...]}; keys are those of
 * {@link TrackingSinkConfig}.
 */
public final class TrackingSinkMain {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingSinkMain.class);

  private TrackingSinkMain() {}

  public static void main(String[] args) throws Exception {
    TrackingSinkConfig config = parse(args);
    LOG.info("Starting with {}", config);
    SinkSupervisor supervisor = new SinkSupervisor();
    Runtime.getRuntime().addShutdownHook(new Thread(supervisor::requestStop, "qmon-sink-shutdown"));
    try {
      start(config, supervisor);
    } catch (RuntimeException e) {
      // Sinks started before the failure run non-daemon threads: end them too, and the process.
      supervisor.fatal("startup", e);
    }
    int code = supervisor.awaitExit();
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Starts the sinks the config names under the supervisor. */
  static void start(TrackingSinkConfig config, SinkSupervisor supervisor) {
    SchemaRegistry registry =
        new RestSchemaRegistry(config.get(TrackingSinkConfig.SCHEMA_REGISTRY_URL));
    List<String> sinks = config.get(TrackingSinkConfig.SINKS);
    PrometheusSink prometheus = null;
    if (sinks.contains("prometheus")) {
      prometheus = PrometheusSink.start(config, registry, supervisor);
      LOG.info("Prometheus endpoint on http://{}/metrics", prometheus.scrapeTarget());
      supervisor.add(prometheus);
    }
    if (sinks.contains("mlflow")) {
      MlflowSink mlflow = MlflowSink.start(config, registry, supervisor);
      supervisor.add(mlflow);
      if (prometheus != null) {
        MlflowSinkMetrics.register(mlflow, prometheus.exporter().registry());
      }
    }
    if (sinks.contains("alerts")) {
      AlertNotifier notifier = AlertNotifier.start(config, registry, supervisor);
      supervisor.add(notifier);
      if (prometheus != null) {
        NotifierMetrics.register(notifier, prometheus.exporter().registry());
      }
      LOG.info("Alert notifier started");
    }
  }

  static TrackingSinkConfig parse(String[] args) throws java.io.IOException {
    Path file = null;
    Map<String, String> overrides = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        file = Path.of(args[++i]);
      } else if (args[i].contains("=")) {
        int eq = args[i].indexOf('=');
        overrides.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      } else {
        throw new IllegalArgumentException(
            "Unexpected argument '"
                + args[i]
                + "'; usage: TrackingSinkMain [--config file.properties] [key=value ...]");
      }
    }
    return TrackingSinkConfig.load(file, overrides);
  }
}
