package io.qmon.tests.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.qmon.producers.sdk.QmonPublisher;
import io.qmon.producers.sdk.RunPublisher;
import io.qmon.producers.train.Target;
import io.qmon.producers.worker.TargetEvents;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.schemas.serde.RestSchemaRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * {@code qmon cluster} with one command, in its own JVM as a user starts it: a run published with
 * the Java SDK gets its metric records from the job on the standalone Flink cluster, the Prometheus
 * it started scrapes the tracking sink's exporter (the run's series) and Flink's metrics (through
 * the Pushgateway), and Ctrl-C stops every process it started, leaving nothing listening.
 */
class QmonClusterIT {
  private static final Duration UP = Duration.ofMinutes(8);
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int EPOCHS = 20;
  private static final Pattern URL_LINE = Pattern.compile("(?m)^  ([^:]+?)\\s*: (\\S+)$");
  private static final Pattern UP_IN = Pattern.compile("qmon cluster is up in (\\d+) s");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Test
  void shouldComeUpScoreARunFeedPrometheusAndLeaveNothingListeningAfterCtrlC() throws Exception {
    Path root = Path.of(System.getProperty("qmon.root", ".")).toAbsolutePath().normalize();
    Path home =
        root.resolve("tests/target/qmon-cluster")
            .resolve(UUID.randomUUID().toString().substring(0, 8));
    Files.createDirectories(home);
    Path output = home.resolve("output.txt");
    long launchedAt = System.nanoTime();
    Process qmon = launch(root, home, output, "cluster", "--task-managers", "1");
    List<ProcessHandle> processes = new ArrayList<>();
    try {
      String printed = awaitOutput(qmon, output, "qmon cluster is up", UP);
      System.out.printf(
          "QmonClusterIT: qmon cluster up in %s s (launcher's own count; %d s wall from the"
              + " java command)%n%s%n",
          match(UP_IN, printed),
          Duration.ofNanos(System.nanoTime() - launchedAt).toSeconds(),
          printed);
      Map<String, String> urls = urls(printed);
      processes.addAll(qmon.descendants().toList());
      assertTrue(
          processes.size() >= 8,
          "broker, registry, JobManager, TaskManager, sinks, MLflow, Pushgateway, Prometheus run"
              + " as processes: "
              + processes.size());

      String runId = "it-qmon-cluster-" + UUID.randomUUID().toString().substring(0, 8);
      publishRun(urls.get("kafka bootstrap servers"), urls.get("schema registry"), runId);
      RunRecords run =
          runRecords(urls.get("kafka bootstrap servers"), urls.get("schema registry"), runId);
      Set<Integer> epochs = run.epochs();
      assertEquals(EPOCHS, epochs.size(), "one metric record per epoch: " + epochs);
      assertTrue(run.closedAtMs() > 0, "the run's RUN_CLOSED record came");
      // Why the exporter keeps a closed run's series for a while: the whole run, first epoch to
      // RUN_CLOSED, takes the job less than one scrape interval (5 s in grafana/prometheus.yml).
      System.out.printf(
          "QmonClusterIT: the job wrote the run's first EPOCH record and its RUN_CLOSED %d ms"
              + " apart%n",
          run.closedAtMs() - run.firstEpochAtMs());

      String prometheus = urls.get("Prometheus");
      JsonNode runSeries = awaitQuery(prometheus, "count({run_id=\"" + runId + "\"})", WAIT);
      assertFalse(runSeries.isEmpty(), "Prometheus scraped the run's series from the sink");
      JsonNode flinkSeries =
          awaitQuery(prometheus, "count({__name__=~\"flink_jobmanager_.+\"})", WAIT);
      assertFalse(flinkSeries.isEmpty(), "Prometheus has Flink's metrics via the Pushgateway");
      JsonNode sinkUp = awaitQuery(prometheus, "up{job=\"qmon-tracking-sink\"} == 1", WAIT);
      assertFalse(sinkUp.isEmpty(), "the sink's scrape target is up");
      System.out.printf(
          "QmonClusterIT: %d epoch records for %s; Prometheus series of the run: %s; Flink"
              + " jobmanager series: %s%n",
          epochs.size(),
          runId,
          runSeries.get(0).path("value").get(1).asText(),
          flinkSeries.get(0).path("value").get(1).asText());

      long interruptedAt = System.nanoTime();
      new ProcessBuilder("kill", "-INT", Long.toString(qmon.pid())).start().waitFor();
      assertTrue(qmon.waitFor(120, TimeUnit.SECONDS), "qmon cluster exits after Ctrl-C");
      for (ProcessHandle process : processes) {
        process.onExit().get(30, TimeUnit.SECONDS);
      }
      System.out.printf(
          "QmonClusterIT: everything stopped %d s after Ctrl-C; wall time %d s%n",
          Duration.ofNanos(System.nanoTime() - interruptedAt).toSeconds(),
          Duration.ofNanos(System.nanoTime() - launchedAt).toSeconds());
      assertTrue(Files.readString(output).contains("everything is stopped"));
      for (Map.Entry<String, String> url : urls.entrySet()) {
        InetSocketAddress address = address(url.getValue());
        if (address != null) {
          assertFalse(listening(address), url.getKey() + " still listens on " + address);
        }
      }
    } finally {
      qmon.descendants().forEach(ProcessHandle::destroyForcibly);
      qmon.destroyForcibly();
    }
  }

  private static void publishRun(String bootstrap, String registry, String runId) {
    try (QmonPublisher publisher =
        QmonPublisher.builder()
            .bootstrapServers(bootstrap)
            .schemaRegistryUrl(registry)
            .producerId("it-qmon-cluster")
            .build()) {
      String targetId = TargetEvents.standardNormalId(3);
      publisher.publishTarget(TargetEvents.toEvent(targetId, Target.standardNormal(3)));
      RunPublisher run =
          publisher.startRun(
              RunStarted.newBuilder()
                  .setExperiment("it-qmon-cluster")
                  .setModelType("born_machine")
                  .setAnsatz("real_amplitudes")
                  .setRepetitions(1)
                  .setQubits(3)
                  .setShots(100)
                  .setBackend("hand-written")
                  .setOptimizer("none")
                  .setSeed(0)
                  .setTargetId(targetId)
                  .build(),
              runId);
      for (int epoch = 1; epoch <= EPOCHS; epoch++) {
        run.publishEpoch(
            epoch,
            new long[] {2, 3, 4, 5},
            new long[] {10 + epoch % 5, 40 - epoch % 5, 40, 10},
            Map.of());
      }
      run.finish(RunStatus.SUCCEEDED, null);
      publisher.flush();
    }
  }

  /**
   * The epochs of a run's EPOCH records, and the processing times of its first EPOCH and its
   * RUN_CLOSED record (0 when not seen).
   */
  private record RunRecords(Set<Integer> epochs, long firstEpochAtMs, long closedAtMs) {}

  /** The run's metric records, read until all epochs and the close are there or time is up. */
  private static RunRecords runRecords(String bootstrap, String registry, String runId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-qmon-cluster-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    ConfluentAvroSerde<MetricRecord> serde =
        new ConfluentAvroSerde<>(new RestSchemaRegistry(registry), MetricRecord.SCHEMA$);
    Set<Integer> epochs = new TreeSet<>();
    long firstEpochAt = Long.MAX_VALUE;
    long closedAt = 0;
    long deadline = System.nanoTime() + WAIT.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(Topics.METRICS));
      while ((epochs.size() < EPOCHS || closedAt == 0) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> raw : consumer.poll(Duration.ofMillis(200))) {
          MetricRecord record = serde.deserialize(raw.value());
          if (!record.getRunId().equals(runId)) {
            continue;
          }
          long processedAt = record.getProcessedTime().toEpochMilli();
          if (record.getScope() == MetricScope.EPOCH) {
            epochs.add(record.getFirstEpoch());
            firstEpochAt = Math.min(firstEpochAt, processedAt);
          } else if (record.getScope() == MetricScope.RUN_CLOSED) {
            closedAt = processedAt;
          }
        }
      }
    }
    return new RunRecords(epochs, firstEpochAt, closedAt);
  }

  /** The {@code data.result} of an instant query, repeated until it is not empty. */
  private static JsonNode awaitQuery(String prometheus, String promql, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode result;
    do {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          prometheus
                              + "/api/v1/query?query="
                              + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      assertEquals("success", body.path("status").asText(), response.body());
      result = body.path("data").path("result");
      if (!result.isEmpty()) {
        return result;
      }
      Thread.sleep(500);
    } while (System.nanoTime() < deadline);
    return result;
  }

  /** The {@code name : url} lines qmon cluster prints once up. */
  private static Map<String, String> urls(String printed) {
    Map<String, String> urls = new LinkedHashMap<>();
    Matcher matcher = URL_LINE.matcher(printed);
    while (matcher.find()) {
      urls.put(matcher.group(1).strip(), matcher.group(2));
    }
    for (String name : List.of("kafka bootstrap servers", "schema registry", "Prometheus")) {
      assertTrue(urls.containsKey(name), "printed " + name + ":\n" + printed);
    }
    return urls;
  }

  /** The loopback host and port of a printed URL or host:port, or null for other lines. */
  private static InetSocketAddress address(String printed) {
    Matcher matcher = Pattern.compile("^(?:https?://)?127\\.0\\.0\\.1:(\\d+)").matcher(printed);
    return matcher.find()
        ? new InetSocketAddress("127.0.0.1", Integer.parseInt(matcher.group(1)))
        : null;
  }

  private static boolean listening(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /** {@code qmon <args>} in its own JVM with this test's classpath, output to a file. */
  private static Process launch(Path root, Path home, Path output, String... args)
      throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dqmon.home=" + home,
                "-Dqmon.root=" + root,
                "-Dqmon.log.file=" + home.resolve("qmon.log"),
                "-Dqmon.startup-timeout-s=" + UP.toSeconds(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.qmon.launcher.Qmon"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  private static String awaitOutput(Process process, Path output, String text, Duration timeout)
      throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      String printed = Files.exists(output) ? Files.readString(output) : "";
      if (printed.contains(text)) {
        // The URL lines follow the headline in the same flush.
        Thread.sleep(500);
        return Files.readString(output);
      }
      if (!process.isAlive()) {
        throw new AssertionError("qmon cluster exited early:\n" + printed);
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "qmon cluster did not print '" + text + "' in time:\n" + Files.readString(output));
  }

  private static String match(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), "no " + pattern + " in:\n" + text);
    return matcher.group(1);
  }
}
