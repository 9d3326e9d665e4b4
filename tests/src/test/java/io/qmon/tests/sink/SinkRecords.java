package io.qmon.tests.sink;

import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.RunStatus;
import io.qmon.schemas.Severity;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Builders of the records the sinks consume, as the job and producers would write them. */
final class SinkRecords {
  static final long T0 = 1_767_000_000_000L;

  private SinkRecords() {}

  static MetricRecord metric(String runId, int epoch, double jsd) {
    return MetricRecord.newBuilder()
        .setRecordId(runId + "/epoch/" + epoch)
        .setRunId(runId)
        .setScope(MetricScope.EPOCH)
        .setFirstEpoch(epoch)
        .setLastEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(T0 + epoch * 1000L))
        .setProcessedTime(Instant.now())
        .setTargetId("target-q2")
        .setQubits(2)
        .setShots(1000)
        .setMetrics(
            Map.of(
                "jsd",
                jsd,
                "fidelity",
                1 - jsd,
                "entropy_bits",
                1.5,
                "coverage",
                0.75,
                "kl",
                2 * jsd))
        .setNoiseFloors(Map.of("jsd", 0.002, "kl", 0.004))
        .build();
  }

  /** An EPOCH record with the producer's losses, as the job writes it. */
  static MetricRecord epoch(String runId, String experiment, int epoch, double jsd) {
    MetricRecord record = metric(runId, epoch, jsd);
    Map<String, Double> metrics = new java.util.HashMap<>(record.getMetrics());
    metrics.put("loss.generator", generatorLoss(epoch));
    metrics.put("loss.discriminator", 0.7);
    record.setMetrics(metrics);
    record.setExperiment(experiment);
    return record;
  }

  /** The generator loss the test publishes for an epoch. */
  static double generatorLoss(int epoch) {
    return 1.0 / (epoch + 1);
  }

  /** A STATE record of a snapshot at the epoch. */
  static MetricRecord state(String runId, String experiment, int epoch, double meyerWallach) {
    return MetricRecord.newBuilder(metric(runId, epoch, 0))
        .setRecordId(runId + "/state/" + epoch)
        .setScope(MetricScope.STATE)
        .setExperiment(experiment)
        .setMetrics(
            Map.of(
                "entanglement_entropy_half", 2 * meyerWallach,
                "entanglement_entropy_single_mean", meyerWallach,
                "meyer_wallach", meyerWallach))
        .setNoiseFloors(Map.of())
        .build();
  }

  /** The job's RUN_OPENED record of a run started as {@link #started} says. */
  static MetricRecord opened(String runId, String experiment, String configId) {
    Map<String, String> params = new java.util.LinkedHashMap<>();
    params.put("model_type", "born_machine");
    params.put("ansatz", "RealAmplitudes");
    params.put("optimizer", "spsa");
    params.put("optimizer.learning_rate", "0.1");
    params.put("git_commit", "abc123");
    params.put("long_param", "x".repeat(9000));
    return MetricRecord.newBuilder(metric(runId, 0, 0))
        .setRecordId(runId + "/opened")
        .setScope(MetricScope.RUN_OPENED)
        .setFirstEpoch(0)
        .setLastEpoch(0)
        .setEventTime(Instant.ofEpochMilli(T0))
        .setExperiment(experiment)
        .setConfigId(configId)
        .setMetrics(Map.of())
        .setNoiseFloors(Map.of())
        .setParams(params)
        .setTags(Map.of("producer_env", "it"))
        .build();
  }

  /** The job's RUN_CLOSED record: status, summary and the last epoch's histogram. */
  static MetricRecord closed(
      String runId, String experiment, String configId, RunCloseStatus status, int epochs) {
    return MetricRecord.newBuilder(metric(runId, epochs, 0))
        .setRecordId(runId + "/closed")
        .setScope(MetricScope.RUN_CLOSED)
        .setEventTime(Instant.ofEpochMilli(T0 + (epochs + 1) * 1000L))
        .setExperiment(experiment)
        .setConfigId(configId)
        .setStatus(status)
        .setMessage("closed by the it")
        .setMetrics(Map.of("best_jsd", 0.5 / epochs, "best_epoch", (double) epochs))
        .setNoiseFloors(Map.of())
        .setHistogram(
            Histogram.newBuilder()
                .setEpoch(epochs)
                .setShots(1000)
                .setOutcomes(List.of(0L, 1L, 2L, 3L))
                .setCounts(List.of(400L, 300L, 200L, 100L))
                .setTarget(List.of(0.4, 0.3, 0.2, 0.1))
                .build())
        .build();
  }

  static RunEvent started(String runId, String experiment, String configId) {
    RunStarted start =
        RunStarted.newBuilder()
            .setExperiment(experiment)
            .setModelType("born_machine")
            .setAnsatz("RealAmplitudes")
            .setRepetitions(2)
            .setQubits(2)
            .setShots(1000)
            .setBackend("qmon-statevector")
            .setNoiseModel(null)
            .setOptimizer("spsa")
            .setOptimizerSettings(Map.of("learning_rate", "0.1"))
            .setSeed(7)
            .setTargetId("target-q2")
            .setConfigId(configId)
            .setRepeatIndex(0)
            .setParams(Map.of("git_commit", "abc123", "long_param", "x".repeat(9000)))
            .setTags(Map.of("producer_env", "it"))
            .build();
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId("it")
        .setSeq(0)
        .setEventTime(Instant.ofEpochMilli(T0))
        .setPayload(start)
        .build();
  }

  static RunEvent finished(String runId, RunStatus status, int epochs) {
    return RunEvent.newBuilder()
        .setRunId(runId)
        .setProducerId("it")
        .setSeq(epochs + 1)
        .setEventTime(Instant.ofEpochMilli(T0 + (epochs + 1) * 1000L))
        .setPayload(new RunFinished(status, epochs, null))
        .build();
  }

  static ShotCounts shots(String runId, int epoch, long[] counts) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    return ShotCounts.newBuilder()
        .setRunId(runId)
        .setProducerId("it")
        .setSeq(epoch)
        .setEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(T0 + epoch * 1000L))
        .setQubits(2)
        .setShots(total)
        .setOutcomes(List.of(0L, 1L, 2L, 3L))
        .setCounts(List.of(counts[0], counts[1], counts[2], counts[3]))
        .build();
  }

  static TargetDistribution target() {
    return TargetDistribution.newBuilder()
        .setTargetId("target-q2")
        .setQubits(2)
        .setDescription("it target")
        .setOutcomes(List.of(0L, 1L, 2L, 3L))
        .setProbabilities(List.of(0.4, 0.3, 0.2, 0.1))
        .setUpdatedTime(Instant.ofEpochMilli(T0))
        .build();
  }

  static Alert alert(String alertId, String runId, AlertState state, Severity severity) {
    return Alert.newBuilder()
        .setAlertId(alertId)
        .setRunId(runId)
        .setDetector("zscore")
        .setMetric("jsd")
        .setState(state)
        .setSeverity(severity)
        .setValue(0.4)
        .setThreshold(0.2)
        .setEpoch(5)
        .setEventTime(Instant.now())
        .setReason("jsd 0.4 above the dynamic threshold 0.2")
        .build();
  }

  static DeadLetter deadLetter(String errorType) {
    return DeadLetter.newBuilder()
        .setSourceTopic("qgm.shots")
        .setSourcePartition(0)
        .setSourceOffset(42)
        .setErrorType(errorType)
        .setReason("counts do not sum to shots")
        .setRunId("it-prom-a")
        .setRejectedTime(Instant.now())
        .build();
  }
}
