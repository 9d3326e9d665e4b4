package io.qmon.tests.sink;

import static io.qmon.tests.sink.PrometheusServer.singleValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.schemas.AlertState;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Severity;
import io.qmon.schemas.Topics;
import io.qmon.schemas.serde.ConfluentAvroSerde;
import io.qmon.sink.TrackingSinkConfig;
import io.qmon.sink.prometheus.PrometheusSink;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exporter against a real broker and a real Prometheus scraping it every second, fed the job's
 * output records: gauges per run (divergences, losses, entanglement), counters of dead letters and
 * alerts, and a run's series kept past the producer's finish event until its RUN_CLOSED record.
 */
class PrometheusExporterIT {
  private static EmbeddedStack stack;
  private static PrometheusSink sink;
  private static PrometheusServer prometheus;

  @BeforeAll
  static void start() throws Exception {
    stack = EmbeddedStack.start(StackSettings.fromSystemProperties());
    sink = PrometheusSink.start(sinkConfig(stack, "it-prometheus"), stack.schemaRegistry());
    prometheus =
        PrometheusServer.start(
            Files.createTempDirectory("qmon-prometheus-it"), sink.scrapeTarget());
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.close();
    }
    if (sink != null) {
      sink.close();
    }
    if (stack != null) {
      stack.close();
    }
  }

  static TrackingSinkConfig sinkConfig(EmbeddedStack stack, String group) {
    return TrackingSinkConfig.of(
        Map.of(
            "kafka.bootstrap-servers",
            stack.bootstrapServers(),
            "schema-registry.url",
            stack.schemaRegistryUrl(),
            "kafka.group-id-prefix",
            group,
            "prometheus.port",
            "0",
            "prometheus.offset-reset",
            "earliest",
            // A few of PrometheusServer's 1 s scrapes, so the removal is seen within the waits.
            "prometheus.closed-run-retention",
            "PT3S"));
  }

  @Test
  void shouldExposeRunSeriesAndCountersAndRemoveARunOnlyWithItsRunClosedRecord() throws Exception {
    try (TopicWriter writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry())) {
      for (int epoch = 1; epoch <= 3; epoch++) {
        writer.send(Topics.METRICS, "a", SinkRecords.epoch("it-prom-a", "e", epoch, 0.5 / epoch));
        writer.send(Topics.METRICS, "b", SinkRecords.metric("it-prom-b", epoch, 0.3));
      }
      writer.send(Topics.METRICS, "s", SinkRecords.state("it-prom-a", "e", 3, 0.375));
      writer.send(Topics.DLQ, "x", SinkRecords.deadLetter("INVALID_COUNTS"));
      writer.send(Topics.DLQ, "y", SinkRecords.deadLetter("INVALID_COUNTS"));
      writer.send(
          Topics.ALERTS,
          "it-prom-a",
          SinkRecords.alert("al-1", "it-prom-a", AlertState.FIRING, Severity.CRITICAL));

      Duration wait = Duration.ofSeconds(30);
      String jsdA = "qmon_run_jsd_bits{run_id=\"it-prom-a\"}";
      assertEquals(
          0.5 / 3,
          singleValue(
              prometheus.awaitQuery(jsdA, r -> Math.abs(singleValue(r) - 0.5 / 3) < 1e-12, wait)),
          1e-12);
      assertEquals(
          0.002,
          singleValue(
              prometheus.awaitQuery(
                  "qmon_run_jsd_noise_floor_bits{run_id=\"it-prom-a\"}", r -> r.size() == 1, wait)),
          1e-12);
      assertEquals(
          SinkRecords.generatorLoss(3),
          singleValue(
              prometheus.awaitQuery(
                  "qmon_run_loss{run_id=\"it-prom-a\",loss=\"generator\"}",
                  r -> r.size() == 1 && singleValue(r) == SinkRecords.generatorLoss(3),
                  wait)),
          1e-12);
      assertEquals(
          0.375,
          singleValue(
              prometheus.awaitQuery(
                  "qmon_run_meyer_wallach_ratio{run_id=\"it-prom-a\"}", r -> r.size() == 1, wait)),
          1e-12);
      assertEquals(
          0.75,
          singleValue(
              prometheus.awaitQuery(
                  "qmon_run_entanglement_entropy_half_bits{run_id=\"it-prom-a\"}",
                  r -> r.size() == 1,
                  wait)),
          1e-12);
      assertEquals(
          2,
          singleValue(
              prometheus.awaitQuery(
                  "qmon_dead_letters_total{error_type=\"INVALID_COUNTS\"}",
                  r -> singleValue(r) == 2,
                  wait)));
      assertEquals(
          1,
          singleValue(
              prometheus.awaitQuery(
                  "qmon_alerts_total{detector=\"zscore\",severity=\"CRITICAL\"}",
                  r -> r.size() == 1,
                  wait)));
      // Seven records here; the other test of this class may have written some before.
      assertTrue(
          singleValue(
                  prometheus.awaitQuery(
                      "qmon_pipeline_latency_seconds_count", r -> singleValue(r) >= 7, wait))
              >= 7);

      // The producer finishes the run; its last records still come (the job scores them first).
      writer.send(
          Topics.RUNS, "it-prom-a", SinkRecords.finished("it-prom-a", RunStatus.SUCCEEDED, 4));
      writer.send(Topics.METRICS, "a", SinkRecords.epoch("it-prom-a", "e", 4, 0.1));
      assertEquals(
          0.1,
          singleValue(
              prometheus.awaitQuery(jsdA, r -> r.size() == 1 && singleValue(r) == 0.1, wait)),
          1e-12,
          "the series stay and move on after the producer's finish event");
      assertEquals(
          4,
          singleValue(prometheus.query("qmon_run_epoch{run_id=\"it-prom-a\"}")),
          "no removal before the run-closed record");

      writer.send(
          Topics.METRICS,
          "a-closed",
          SinkRecords.closed("it-prom-a", "e", null, RunCloseStatus.SUCCEEDED, 4));
      assertEquals(
          0,
          prometheus.awaitQuery("{run_id=\"it-prom-a\"}", r -> r.size() == 0, wait).size(),
          "a closed run's series are gone");
      assertEquals(
          0.3,
          singleValue(prometheus.query("qmon_run_jsd_bits{run_id=\"it-prom-b\"}")),
          1e-12,
          "other runs stay");
      assertEquals(
          1,
          singleValue(
              prometheus.awaitQuery(
                  "qmon_runs_finished_total{status=\"SUCCEEDED\"}", r -> r.size() == 1, wait)));
    }
  }

  /**
   * The job writes with exactly-once through Kafka transactions; the exporter reads committed
   * records only (read_committed by default), so an aborted epoch never becomes a gauge value.
   */
  /**
   * qgm.sweeps is compacted state: an exporter that starts with prometheus.offset-reset=latest (the
   * default) still rebuilds the sweep gauges from the topic's start.
   */
  @Test
  void shouldRebuildSweepGaugesFromTheStartOfTheCompactedTopic() throws Exception {
    try (TopicWriter writer = new TopicWriter(stack.bootstrapServers(), stack.schemaRegistry())) {
      writer.send(
          Topics.SWEEPS,
          "it-sweep-exp/cfg-1",
          io.qmon.schemas.SweepSummary.newBuilder()
              .setExperiment("it-sweep-exp")
              .setConfigId("cfg-1")
              .setRuns(3)
              .setStatistics(
                  Map.of(
                      "final_jsd_mean", 0.25,
                      "final_jsd_std", 0.125,
                      "final_jsd_ci_low", 0.0625,
                      "final_jsd_ci_high", 0.4375))
              .setRank(1)
              .setConfigurations(1)
              .setUpdatedTime(java.time.Instant.now())
              .build());
    }
    try (PrometheusSink late =
        PrometheusSink.start(
            sinkConfig(stack, "it-prom-sweeps").with(Map.of("prometheus.offset-reset", "latest")),
            stack.schemaRegistry())) {
      String series =
          "qmon_sweep_mean{config_id=\"cfg-1\",experiment=\"it-sweep-exp\",metric=\"final_jsd\"} 0.25";
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      String text = scrape(late.scrapeTarget());
      while (!text.contains(series) && System.nanoTime() < deadline) {
        Thread.sleep(250);
        text = scrape(late.scrapeTarget());
      }
      assertTrue(text.contains(series), text);
      assertTrue(
          text.contains(
              "qmon_sweep_ci_high{config_id=\"cfg-1\",experiment=\"it-sweep-exp\",metric=\"final_jsd\"} 0.4375"),
          text);
    }
  }

  private static String scrape(String target) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://" + target + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void shouldNeverExportARecordOfAnAbortedTransaction() throws Exception {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-prom-txn");
    ConfluentAvroSerde<SpecificRecord> serde =
        new ConfluentAvroSerde<>(stack.schemaRegistry(), Topics.VALUE_SCHEMAS.get(Topics.METRICS));
    String run = "it-prom-txn";
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(record(serde, SinkRecords.metric(run, 1, 0.25)));
      producer.commitTransaction();
      producer.beginTransaction();
      producer.send(record(serde, SinkRecords.metric(run, 2, 0.999)));
      producer.flush();
      producer.abortTransaction();
      // A committed record of another run behind the aborted one, on the same partition: once
      // it is exported, the exporter has read past the aborted record.
      producer.beginTransaction();
      producer.send(record(serde, SinkRecords.metric("it-prom-txn-sentinel", 1, 0.5)));
      producer.commitTransaction();
    }
    Duration wait = Duration.ofSeconds(30);
    prometheus.awaitQuery(
        "qmon_run_jsd_bits{run_id=\"it-prom-txn-sentinel\"}", r -> r.size() == 1, wait);
    assertEquals(
        0.25,
        singleValue(
            prometheus.awaitQuery(
                "qmon_run_jsd_bits{run_id=\"" + run + "\"}", r -> r.size() == 1, wait)),
        1e-12,
        "the aborted epoch's 0.999 never became the gauge value");
    assertEquals(
        1,
        singleValue(prometheus.query("qmon_run_epoch{run_id=\"" + run + "\"}")),
        "the latest epoch is the committed one");
  }

  private static ProducerRecord<byte[], byte[]> record(
      ConfluentAvroSerde<SpecificRecord> serde, MetricRecord value) {
    return new ProducerRecord<>(
        Topics.METRICS,
        0,
        value.getRecordId().getBytes(StandardCharsets.UTF_8),
        serde.serialize(Topics.METRICS, value));
  }
}
