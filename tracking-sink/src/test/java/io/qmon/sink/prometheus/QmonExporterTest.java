package io.qmon.sink.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.Severity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QmonExporterTest {
  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private static final Duration RETENTION = Duration.ofSeconds(30);
  private final QmonExporter exporter = new QmonExporter(registry, 2, RETENTION, clock::get);

  /** Moves the clock as the consumer loop's polls would see it, and lets it remove series. */
  private void pollAfter(Duration elapsed) {
    clock.addAndGet(elapsed.toMillis());
    exporter.removeExpiredRuns();
  }

  @Test
  void shouldExportGaugesAndFloorsPerRun() throws IOException {
    exporter.onMetricRecord(record("run-a", 3, 0.25, 0.01));
    String text = scrape();
    assertTrue(
        text.contains("qmon_run_jsd_bits{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 0.25"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_jsd_noise_floor_bits{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 0.01"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_fidelity_ratio{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 0.9"),
        text);
    assertTrue(
        text.contains("qmon_run_epoch{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 3"), text);
    assertTrue(text.contains("qmon_records_total{topic=\"qgm.metrics\"} 1"), text);
    assertTrue(text.contains("qmon_pipeline_latency_seconds_count 1"), text);
  }

  @Test
  void shouldKeepARunsSeriesUntilARetentionAfterItsRunClosedRecordAndNotBringThemBackAfterwards()
      throws IOException {
    exporter.onMetricRecord(record("run-a", 1, 0.2, 0.01));
    pollAfter(Duration.ofHours(2));
    exporter.onMetricRecord(record("run-a", 2, 0.1, 0.01));
    String jsd = "qmon_run_jsd_bits{config_id=\"\",experiment=\"\",run_id=\"run-a\"} ";
    assertTrue(scrape().contains(jsd + "0.1"), "no TTL while the run is open");
    exporter.onMetricRecord(closed("run-a", RunCloseStatus.SUCCEEDED));
    // A record of the run written before its close but read after it (another partition).
    exporter.onMetricRecord(record("run-a", 3, 0.05, 0.01));
    pollAfter(RETENTION.minusMillis(1));
    String text = scrape();
    assertTrue(text.contains(jsd + "0.1"), "the last values, served for the retention: " + text);
    assertTrue(text.contains("qmon_runs_finished_total{status=\"SUCCEEDED\"} 1"), text);
    assertTrue(text.contains("qmon_exporter_late_records_total 1"), text);
    assertEquals(0, exporter.activeRunCount(), "closed runs do not count against the cap");
    pollAfter(Duration.ofMillis(1));
    assertFalse(scrape().contains("run_id=\"run-a\""), "gone once the retention is over");
  }

  @Test
  void shouldServeARunThatOpensAndClosesBetweenTwoScrapesAtTheNextScrape() throws IOException {
    for (int epoch = 1; epoch <= 20; epoch++) {
      exporter.onMetricRecord(record("short", epoch, 0.5 / epoch, 0.01));
    }
    exporter.onMetricRecord(closed("short", RunCloseStatus.SUCCEEDED));
    pollAfter(Duration.ofSeconds(5));
    assertTrue(
        scrape().contains("qmon_run_epoch{config_id=\"\",experiment=\"\",run_id=\"short\"} 20"),
        "a scrape 5 s later still sees the run's last epoch");
  }

  @Test
  void shouldRemoveAClosedRunsSeriesAtOnceWithoutRetention() throws IOException {
    PrometheusRegistry own = new PrometheusRegistry();
    QmonExporter immediate = new QmonExporter(own, 2, Duration.ZERO, clock::get);
    immediate.onMetricRecord(record("run-a", 1, 0.2, 0.01));
    immediate.onMetricRecord(closed("run-a", RunCloseStatus.SUCCEEDED));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, own.scrape());
    assertFalse(out.toString(StandardCharsets.UTF_8).contains("run_id=\"run-a\""));
  }

  @Test
  void shouldServeNoMoreClosedRunsThanTheCapOfOpenOnes() throws IOException {
    for (String run : new String[] {"run-a", "run-b", "run-c"}) {
      exporter.onMetricRecord(record(run, 1, 0.2, 0.01));
      exporter.onMetricRecord(closed(run, RunCloseStatus.SUCCEEDED));
    }
    String text = scrape();
    assertFalse(text.contains("run_id=\"run-a\""), "the oldest closed run goes early: " + text);
    assertTrue(text.contains("run_id=\"run-b\""), text);
    assertTrue(text.contains("run_id=\"run-c\""), text);
  }

  @Test
  void shouldExportLossesAsOneBoundedFamilyAndStateMetricsAsGauges() throws IOException {
    exporter.onMetricRecord(
        MetricRecord.newBuilder(record("run-a", 1, 0.2, 0.01))
            .setMetrics(Map.of("jsd", 0.2, "loss.generator", 0.7, "loss.discriminator", 0.6))
            .build());
    exporter.onMetricRecord(
        MetricRecord.newBuilder(record("run-a", 1, 0.2, 0.01))
            .setScope(MetricScope.STATE)
            .setMetrics(
                Map.of(
                    "entanglement_entropy_half", 1.0,
                    "entanglement_entropy_single_mean", 0.5,
                    "meyer_wallach", 0.75,
                    "state_fidelity", 0.25))
            .setNoiseFloors(Map.of())
            .build());
    for (int i = 0; i < QmonExporter.MAX_LOSS_NAMES + 5; i++) {
      exporter.onMetricRecord(
          MetricRecord.newBuilder(record("run-b", 1, 0.2, 0.01))
              .setMetrics(Map.of("loss.user_" + i, (double) i))
              .build());
    }
    String text = scrape();
    assertTrue(
        text.contains(
            "qmon_run_loss{config_id=\"\",experiment=\"\",loss=\"generator\",run_id=\"run-a\"} 0.7"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_loss{config_id=\"\",experiment=\"\",loss=\"discriminator\",run_id=\"run-a\"} 0.6"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_entanglement_entropy_half_bits{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 1.0"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_entanglement_entropy_single_mean_bits{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 0.5"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_meyer_wallach_ratio{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 0.75"),
        text);
    assertTrue(
        text.contains(
            "qmon_run_state_fidelity_ratio{config_id=\"\",experiment=\"\",run_id=\"run-a\"} 0.25"),
        text);
    long lossSeries = text.lines().filter(l -> l.startsWith("qmon_run_loss{")).count();
    assertEquals(
        QmonExporter.MAX_LOSS_NAMES + 1, lossSeries, "32 names, the rest share loss=\"other\"");
    assertTrue(
        text.contains(
            "qmon_run_loss{config_id=\"\",experiment=\"\",loss=\"other\",run_id=\"run-b\"}"),
        text);
    exporter.onMetricRecord(closed("run-a", RunCloseStatus.STALLED));
    pollAfter(RETENTION);
    assertFalse(scrape().contains("run_id=\"run-a\""), "loss and state series go too");
  }

  @Test
  void shouldDropRecordsOfRunsBeyondTheCap() throws IOException {
    exporter.onMetricRecord(record("run-a", 1, 0.2, 0.01));
    exporter.onMetricRecord(record("run-b", 1, 0.2, 0.01));
    exporter.onMetricRecord(record("run-c", 1, 0.2, 0.01));
    String text = scrape();
    assertFalse(text.contains("run_id=\"run-c\""), text);
    assertTrue(text.contains("qmon_exporter_dropped_records_total 1"), text);
    assertTrue(text.contains("qmon_exporter_active_runs 2"), text);
  }

  @Test
  void shouldCountDeadLettersAndAlertsWithBoundedLabels() throws IOException {
    exporter.onDeadLetter(letter("INVALID_COUNTS"));
    exporter.onDeadLetter(letter("INVALID_COUNTS"));
    exporter.onAlert(alert());
    String text = scrape();
    assertTrue(text.contains("qmon_dead_letters_total{error_type=\"INVALID_COUNTS\"} 2"), text);
    assertTrue(
        text.contains(
            "qmon_alerts_total{detector=\"zscore\",severity=\"WARNING\",state=\"FIRING\"} 1"),
        text);
  }

  @Test
  void shouldLabelARunsSeriesWithTheExperimentAndConfigOfItsRunOpenedRecord() throws IOException {
    exporter.onMetricRecord(
        MetricRecord.newBuilder(record("run-a", 0, 0, 0))
            .setScope(MetricScope.RUN_OPENED)
            .setExperiment("bars-and-stripes")
            .setConfigId("cfg-1")
            .setMetrics(Map.of())
            .build());
    // The label values stay those of the run's start even if a record says otherwise.
    exporter.onMetricRecord(
        MetricRecord.newBuilder(record("run-a", 1, 0.3, 0.01)).setExperiment("renamed").build());
    exporter.onAlert(
        Alert.newBuilder(alert()).setExperiment("bars-and-stripes").setConfigId("cfg-1").build());
    String text = scrape();
    assertTrue(
        text.contains(
            "qmon_run_jsd_bits{config_id=\"cfg-1\",experiment=\"bars-and-stripes\",run_id=\"run-a\"}"
                + " 0.3"),
        text);
    assertTrue(
        text.contains(
            "qmon_alert_firing{config_id=\"cfg-1\",detector=\"zscore\",experiment=\"bars-and-stripes\","
                + "metric=\"jsd\",run_id=\"run-a\",severity=\"WARNING\"} 1"),
        text);
    assertFalse(text.contains("renamed"), text);
    exporter.onAlert(Alert.newBuilder(alert()).setState(AlertState.RESOLVED).build());
    assertFalse(scrape().contains("qmon_alert_firing{"), "a resolved alert's series goes");
    exporter.onAlert(alert());
    exporter.onMetricRecord(closed("run-a", RunCloseStatus.SUCCEEDED));
    assertFalse(scrape().contains("qmon_alert_firing{"), "and so does a closed run's");
    exporter.onAlert(alert());
    assertFalse(scrape().contains("qmon_alert_firing{"), "a late alert does not bring it back");
  }

  @Test
  void shouldExportSweepStatisticsPerConfigurationAndForgetTheLeastRecentBeyondTheCap()
      throws IOException {
    exporter.onSweepSummary(sweep("exp", "cfg-1", 0.10, 1));
    exporter.onSweepSummary(sweep("exp", "cfg-1", 0.125, 2));
    String text = scrape();
    assertTrue(
        text.contains(
            "qmon_sweep_mean{config_id=\"cfg-1\",experiment=\"exp\",metric=\"final_jsd\"} 0.125"),
        text);
    assertTrue(
        text.contains(
            "qmon_sweep_ci_low{config_id=\"cfg-1\",experiment=\"exp\",metric=\"final_jsd\"} 0.0625"),
        text);
    assertTrue(text.contains("qmon_sweep_runs{config_id=\"cfg-1\",experiment=\"exp\"} 2.0"), text);
    assertTrue(text.contains("qmon_sweep_rank{config_id=\"cfg-1\",experiment=\"exp\"} 1.0"), text);
    for (int i = 2; i <= QmonExporter.MAX_SWEEP_CONFIGURATIONS; i++) {
      exporter.onSweepSummary(sweep("exp", "cfg-" + i, 0.2, 1));
    }
    exporter.onSweepSummary(sweep("exp", "cfg-1", 0.12, 3));
    exporter.onSweepSummary(sweep("exp", "cfg-new", 0.3, 1));
    text = scrape();
    assertTrue(text.contains("config_id=\"cfg-1\""), "updated recently: kept");
    assertFalse(text.contains("config_id=\"cfg-2\""), "least recently updated: evicted");
    assertTrue(text.contains("config_id=\"cfg-new\""), text.length() + " chars");
  }

  private static io.qmon.schemas.SweepSummary sweep(
      String experiment, String configId, double mean, int runs) {
    return io.qmon.schemas.SweepSummary.newBuilder()
        .setExperiment(experiment)
        .setConfigId(configId)
        .setRuns(runs)
        .setStatistics(
            Map.of(
                "final_jsd_mean",
                mean,
                "final_jsd_std",
                0.02,
                "final_jsd_ci_low",
                mean - 0.0625,
                "final_jsd_ci_high",
                mean + 0.04))
        .setRank(1)
        .setConfigurations(1)
        .setUpdatedTime(java.time.Instant.ofEpochMilli(1))
        .build();
  }

  @Test
  void shouldNameEverySeriesWithPrefixAndUnit() {
    for (RunSeries series : RunSeries.ALL) {
      assertTrue(series.valueName().matches("qmon_run_[a-z0-9_]+_(bits|ratio|distance)"));
      assertTrue(series.floorName().contains("_noise_floor_"));
      assertTrue(
          io.qmon.metrics.MetricNames.ALL.contains(series.metric()) != !series.floor(),
          "epoch metrics have floors, state metrics none: " + series);
    }
  }

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, registry.scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  static MetricRecord record(String runId, int epoch, double jsd, double floor) {
    return MetricRecord.newBuilder()
        .setRecordId(runId + "/epoch/" + epoch)
        .setRunId(runId)
        .setScope(MetricScope.EPOCH)
        .setFirstEpoch(epoch)
        .setLastEpoch(epoch)
        .setEventTime(java.time.Instant.ofEpochMilli(999_000))
        .setProcessedTime(java.time.Instant.ofEpochMilli(999_500))
        .setTargetId("t")
        .setQubits(3)
        .setShots(1000)
        .setMetrics(Map.of("jsd", jsd, "fidelity", 0.9))
        .setNoiseFloors(Map.of("jsd", floor))
        .build();
  }

  private static MetricRecord closed(String runId, RunCloseStatus status) {
    return MetricRecord.newBuilder(record(runId, 3, 0.1, 0.01))
        .setScope(MetricScope.RUN_CLOSED)
        .setStatus(status)
        .setMetrics(Map.of("best_jsd", 0.1))
        .setNoiseFloors(Map.of())
        .build();
  }

  private static DeadLetter letter(String type) {
    return DeadLetter.newBuilder()
        .setSourceTopic("qgm.shots")
        .setSourcePartition(0)
        .setSourceOffset(1)
        .setErrorType(type)
        .setReason("bad")
        .setRejectedTime(java.time.Instant.ofEpochMilli(1))
        .build();
  }

  private static Alert alert() {
    return Alert.newBuilder()
        .setAlertId("a1")
        .setRunId("run-a")
        .setDetector("zscore")
        .setMetric("jsd")
        .setState(AlertState.FIRING)
        .setSeverity(Severity.WARNING)
        .setValue(0.5)
        .setThreshold(0.3)
        .setEpoch(3)
        .setEventTime(java.time.Instant.ofEpochMilli(1))
        .setReason("z above 3")
        .build();
  }
}
