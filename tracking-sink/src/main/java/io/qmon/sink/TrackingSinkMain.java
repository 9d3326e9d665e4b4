package io.qmon.sink;

import io.qmon.schemas.serde.RestSchemaRegistry;
import io.qmon.schemas.serde.SchemaRegistry;
import io.qmon.sink.alerts.AlertNotifier;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.prometheus.PrometheusSink;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the chosen sinks against a cluster until terminated.
 *
 * <p>Usage: {@code TrackingSinkMain [--config sink.properties] [key=value ...]}; keys are those of
 * {@link TrackingSinkConfig}.
 */
public final class TrackingSinkMain {
  private static final Logger LOG = LoggerFactory.getLogger(TrackingSinkMain.class);

  private TrackingSinkMain() {}

  public static void main(String[] args) throws Exception {
    TrackingSinkConfig config = parse(args);
    SchemaRegistry registry =
        new RestSchemaRegistry(config.get(TrackingSinkConfig.SCHEMA_REGISTRY_URL));
    Deque<AutoCloseable> running = new ArrayDeque<>();
    List<String> sinks = config.get(TrackingSinkConfig.SINKS);
    if (sinks.contains("prometheus")) {
      PrometheusSink prometheus = PrometheusSink.start(config, registry);
      LOG.info("Prometheus endpoint on http://{}/metrics", prometheus.scrapeTarget());
      running.push(prometheus);
    }
    if (sinks.contains("mlflow")) {
      running.push(MlflowSink.start(config, registry));
      LOG.info("MLflow writer to {}", config.get(TrackingSinkConfig.MLFLOW_TRACKING_URI));
    }
    if (sinks.contains("alerts")) {
      running.push(AlertNotifier.start(config, registry));
      LOG.info("Alert notifier started");
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeAll(running);
                  stopped.countDown();
                },
                "qmon-sink-shutdown"));
    stopped.await();
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

  private static void closeAll(Deque<AutoCloseable> running) {
    while (!running.isEmpty()) {
      AutoCloseable sink = running.pop();
      try {
        sink.close();
      } catch (Exception e) {
        LOG.error("Closing {} failed", sink, e);
      }
    }
  }
}
