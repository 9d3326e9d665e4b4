package io.qmon.bench;

import io.qmon.cli.Cli;
import io.qmon.cli.QmonVersion;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.mlflow.MlflowSink;
import io.qmon.sink.prometheus.PrometheusSink;
import io.qmon.stack.EmbeddedMlflow;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints the sink figures of tracking-sink/README.md: metric points per second the MLflow writer
 * sustains into a real MLflow server (sqlite, from the project virtualenv), and the delay from a
 * metric record on Kafka to its series on the exporter's endpoint. Not a test: run it on a quiet
 * machine. Options: {@code --runs --epochs --mlflow-workers --writer-threads 1,4}: one pass per
 * comma-separated {@code mlflow.writer-threads} value (default: the config default), each on a
 * fresh broker and MLflow server, e.g. {@code --runs 20 --epochs 500 --mlflow-workers 4
 * --writer-threads 1,4} compares one lane with four.
 */
@Command(
    name = "qmon-sink-bench",
    mixinStandardHelpOptions = true,
    versionProvider = QmonVersion.class,
    showDefaultValues = true,
    description = {
      "Measures the MLflow writer (metric points per second into a real MLflow server from the"
          + " project virtualenv) and the delay from a metric record on Kafka to its series on the"
          + " Prometheus exporter. Not a test: run it on a quiet machine."
    })
public final class SinkBenchmark implements Callable<Integer> {
  @Option(names = "--runs", defaultValue = "20", description = "Runs whose metrics are written.")
  int runs;

  @Option(names = "--epochs", defaultValue = "500", description = "Epochs per run.")
  int epochs;

  @Option(
      names = "--mlflow-workers",
      defaultValue = "2",
      description = "Workers of the MLflow server.")
  int mlflowWorkers;

  @Option(
      names = "--writer-threads",
      split = ",",
      paramLabel = "<n>[,<n>...]",
      description =
          "mlflow.writer-threads of each pass (one pass per value, each on a fresh broker and"
              + " MLflow server); default: the sink's default.")
  List<Integer> writerThreads =
      new ArrayList<>(List.of(TrackingSinkConfig.MLFLOW_WRITER_THREADS.defaultValue()));

  private SinkBenchmark() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The benchmark's command line. */
  public static CommandLine commandLine() {
    return Cli.commandLine(new SinkBenchmark());
  }

  @Override
  public Integer call() throws Exception {
    if (runs < 1 || epochs < 1 || mlflowWorkers < 1 || writerThreads.isEmpty()) {
      throw new IllegalArgumentException(
          "--runs, --epochs, --mlflow-workers must be >= 1 and --writer-threads name a value");
    }
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath();
    List<String> results = new ArrayList<>();
    for (int i = 0; i < writerThreads.size(); i++) {
      boolean last = i == writerThreads.size() - 1;
      results.add(pass(root, runs, epochs, mlflowWorkers, writerThreads.get(i).toString(), last));
    }
    System.out.println("MLflow writer, " + mlflowWorkers + " MLflow workers:");
    results.forEach(r -> System.out.println("  " + r));
    return 0;
  }

  /**
   * One measurement on a fresh Kafka stack and a fresh MLflow server (empty sqlite), so passes do
   * not see each other's records or runs; the exporter latency is measured in the last pass only.
   */
  private static String pass(
      Path root, int runs, int epochs, int workers, String writerThreads, boolean exporter)
      throws Exception {
    Path work = Files.createTempDirectory("qmon-sink-bench");
    EmbeddedMlflow mlflow =
        EmbeddedMlflow.start(
            root.resolve(".venv/bin/mlflow"),
            work,
            work.resolve("mlflow.log"),
            Duration.ofSeconds(120),
            workers);
    try (EmbeddedStack stack = EmbeddedStack.start(StackSettings.fromSystemProperties())) {
      String url = mlflow.url();
      TrackingSinkConfig config =
          TrackingSinkConfig.of(
              Map.of(
                  "kafka.bootstrap-servers",
                  stack.bootstrapServers(),
                  "schema-registry.url",
                  stack.schemaRegistryUrl(),
                  "kafka.group-id-prefix",
                  "bench",
                  "mlflow.tracking-uri",
                  url,
                  "mlflow.writer-threads",
                  writerThreads,
                  "prometheus.port",
                  "0",
                  "prometheus.offset-reset",
                  "latest"));
      long points = publish(stack, runs, epochs);
      long start = System.nanoTime();
      String result;
      try (MlflowSink sink = MlflowSink.start(config, stack.schemaRegistry())) {
        while (sink.stats().pointsWritten() < points) {
          Thread.sleep(50);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        result =
            String.format(
                "writer-threads=%s: %d points (%d runs x %d epochs) in %.1f s = %.0f points/s (%s)",
                writerThreads, points, runs, epochs, seconds, points / seconds, sink.stats());
        System.out.println("MLflow writer, " + workers + " MLflow workers, " + result);
      }
      if (exporter) {
        try (PrometheusSink prometheus = PrometheusSink.start(config, stack.schemaRegistry())) {
          Thread.sleep(3000);
          long[] delays = new long[50];
          for (int i = 0; i < delays.length; i++) {
            delays[i] = recordToSeries(stack, prometheus.scrapeTarget(), i);
          }
          Arrays.sort(delays);
          System.out.printf(
              "Record -> exporter series: median %d ms, p90 %d ms, max %d ms over %d records"
                  + " (Prometheus adds up to one scrape interval)%n",
              delays[delays.length / 2],
              delays[delays.length * 9 / 10],
              delays[delays.length - 1],
              delays.length);
        }
      }
      return result;
    } finally {
      mlflow.close();
    }
  }

  private static long publish(EmbeddedStack stack, int runs, int epochs) {
    long points = 0;
    try (Writer writer = new Writer(stack)) {
      for (int r = 0; r < runs; r++) {
        String run = "bench-run-" + r;
        writer.send(Topics.METRICS, run + "/opened", opened(run));
        for (int e = 1; e <= epochs; e++) {
          MetricRecord record = metric(run, e, 0.5 / e);
          points += record.getMetrics().size() + record.getNoiseFloors().size();
          writer.send(Topics.METRICS, record.getRecordId(), record);
        }
      }
    }
    return points;
  }

  private static long recordToSeries(EmbeddedStack stack, String target, int i)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    String run = "latency-" + i;
    long sent = System.nanoTime();
    try (Writer writer = new Writer(stack)) {
      writer.send(Topics.METRICS, run, metric(run, 1, 0.25));
    }
    String needle = "qmon_run_jsd_bits{run_id=\"" + run + "\"}";
    while (true) {
      String body =
          http.send(
                  HttpRequest.newBuilder(URI.create("http://" + target + "/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      if (body.contains(needle)) {
        return (System.nanoTime() - sent) / 1_000_000;
      }
      Thread.sleep(5);
    }
  }

  /** The job's RUN_OPENED record of a benchmark run (the MLflow sink reads only qgm.metrics). */
  private static MetricRecord opened(String run) {
    return MetricRecord.newBuilder(metric(run, 0, 0))
        .setRecordId(run + "/opened")
        .setScope(MetricScope.RUN_OPENED)
        .setMetrics(Map.of())
        .setNoiseFloors(Map.of())
        .setParams(
            Map.of(
                "model_type", "born_machine",
                "ansatz", "RealAmplitudes",
                "repetitions", "2",
                "qubits", "6",
                "shots", "1000",
                "backend", "sim",
                "optimizer", "spsa",
                "seed", "1",
                "target_id", "t"))
        .build();
  }

  private static MetricRecord metric(String run, int epoch, double jsd) {
    Map<String, Double> metrics = new HashMap<>();
    for (String name :
        new String[] {
          "jsd",
          "kl",
          "fidelity",
          "infidelity",
          "hellinger",
          "tv",
          "entropy_bits",
          "entropy_normalised",
          "coverage",
          "ks",
          "w1"
        }) {
      metrics.put(name, jsd);
    }
    Map<String, Double> floors = new HashMap<>();
    for (String name : new String[] {"jsd", "kl", "tv", "hellinger", "infidelity"}) {
      floors.put(name, 0.001);
    }
    return MetricRecord.newBuilder()
        .setRecordId(run + "/epoch/" + epoch)
        .setRunId(run)
        .setScope(MetricScope.EPOCH)
        .setFirstEpoch(epoch)
        .setLastEpoch(epoch)
        .setEventTime(Instant.now())
        .setProcessedTime(Instant.now())
        .setTargetId("t")
        .setQubits(6)
        .setShots(1000)
        .setExperiment("qmon-sink-bench")
        .setMetrics(metrics)
        .setNoiseFloors(floors)
        .build();
  }

  /** A producer of Confluent-framed records that waits for acks on close. */
  private static final class Writer implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Map<String, ConfluentAvroSerde<SpecificRecord>> serdes = new HashMap<>();
    private final java.util.concurrent.atomic.AtomicReference<Exception> failure =
        new java.util.concurrent.atomic.AtomicReference<>();

    Writer(EmbeddedStack stack) {
      Properties props = new Properties();
      props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
      props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
      producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
      Topics.VALUE_SCHEMAS.forEach(
          (t, s) -> serdes.put(t, new ConfluentAvroSerde<>(stack.schemaRegistry(), s)));
    }

    void send(String topic, String key, SpecificRecord value) {
      producer.send(
          new ProducerRecord<>(
              topic,
              key.getBytes(StandardCharsets.UTF_8),
              serdes.get(topic).serialize(topic, value)),
          (metadata, error) -> {
            if (error != null) {
              failure.compareAndSet(null, error);
            }
          });
    }

    @Override
    public void close() {
      producer.close();
      if (failure.get() != null) {
        throw new IllegalStateException("Publishing failed", failure.get());
      }
    }
  }
}
