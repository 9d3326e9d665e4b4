package io.qmon.jobs.emit;

import io.qmon.jobs.score.RunSummary;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.Histogram;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunCloseStatus;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.Severity;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the run lifecycle records the job writes on {@code qgm.metrics}: {@code RUN_OPENED} when a
 * run starts (its params, tags and attachments) and {@code RUN_CLOSED} when it closes (status,
 * message, summary metrics and the last histogram); and the {@code run-stalled} alert on {@code
 * qgm.alerts}. Record ids are deterministic ({@code <run>/opened}, {@code <run>/closed}) so
 * consumers can drop replays. No Flink here.
 */
public final class RunRecords {
  /** Record id suffixes. */
  public static final String OPENED = "/opened";

  public static final String CLOSED = "/closed";

  /** Detector name of the stalled-run alert. */
  public static final String STALLED = "run-stalled";

  private RunRecords() {}

  /**
   * The run-opened record.
   *
   * @param eventTimeMillis the start event's time
   */
  public static MetricRecord opened(
      String runId, RunStarted start, long eventTimeMillis, long processedMillis) {
    return new MetricRecord(
        runId + OPENED,
        runId,
        MetricScope.RUN_OPENED,
        0,
        0,
        Instant.ofEpochMilli(eventTimeMillis),
        Instant.ofEpochMilli(processedMillis),
        start.getTargetId(),
        start.getQubits(),
        start.getShots(),
        Map.of(),
        Map.of(),
        start.getExperiment(),
        start.getConfigId(),
        params(start),
        new HashMap<>(start.getTags()),
        null,
        null,
        null,
        new HashMap<>(start.getAttachments()));
  }

  /**
   * Every field of the start event as a string, with {@code optimizer.<key>} for each optimizer
   * setting, plus the event's own params map (a built-in field wins over a param of the same name:
   * it is what the run declared).
   */
  public static Map<String, String> params(RunStarted start) {
    Map<String, String> params = new HashMap<>(start.getParams());
    params.put("model_type", start.getModelType());
    params.put("ansatz", start.getAnsatz());
    params.put("repetitions", Integer.toString(start.getRepetitions()));
    params.put("qubits", Integer.toString(start.getQubits()));
    params.put("shots", Long.toString(start.getShots()));
    params.put("backend", start.getBackend());
    if (start.getNoiseModel() != null) {
      params.put("noise_model", start.getNoiseModel());
    }
    params.put("optimizer", start.getOptimizer());
    start.getOptimizerSettings().forEach((key, value) -> params.put("optimizer." + key, value));
    params.put("seed", Long.toString(start.getSeed()));
    params.put("target_id", start.getTargetId());
    if (start.getConfigId() != null) {
      params.put("config_id", start.getConfigId());
    }
    params.put("repeat_index", Integer.toString(start.getRepeatIndex()));
    return params;
  }

  /**
   * The run-closed record.
   *
   * @param summary the run's scored epochs, or null when none was scored
   * @param histogram the last scored epoch beside the target, or null
   * @param eventTimeMillis the run's latest event time
   */
  public static MetricRecord closed(
      String runId,
      RunStarted start,
      RunSummary summary,
      RunCloseStatus status,
      String message,
      Histogram histogram,
      long eventTimeMillis,
      long processedMillis) {
    boolean scored = summary != null && !summary.isEmpty();
    Map<String, Double> metrics = scored ? summary.values() : new HashMap<>();
    metrics.putIfAbsent(RunSummary.EPOCHS_SCORED, 0.0);
    return new MetricRecord(
        runId + CLOSED,
        runId,
        MetricScope.RUN_CLOSED,
        scored ? summary.firstEpoch() : 0,
        scored ? summary.lastEpoch() : 0,
        Instant.ofEpochMilli(eventTimeMillis),
        Instant.ofEpochMilli(processedMillis),
        start.getTargetId(),
        start.getQubits(),
        start.getShots(),
        metrics,
        Map.of(),
        start.getExperiment(),
        start.getConfigId(),
        Map.of(),
        Map.of(),
        status,
        message,
        histogram,
        Map.of());
  }

  /**
   * The {@code run-stalled} alert of a run that went silent: it is then closed as STALLED.
   *
   * @param start the run's start (its experiment and config id label the alert), or null
   * @param lastEpoch the run's last scored epoch (0 when none)
   */
  public static Alert stalled(
      String runId,
      RunStarted start,
      int lastEpoch,
      long silentSince,
      long now,
      long stallTimeoutMs) {
    return Alert.newBuilder()
        .setExperiment(start == null ? null : start.getExperiment())
        .setConfigId(start == null ? null : start.getConfigId())
        .setAlertId(runId + "/" + STALLED + "/" + silentSince)
        .setRunId(runId)
        .setDetector(STALLED)
        .setMetric("events")
        .setState(AlertState.FIRING)
        .setSeverity(Severity.WARNING)
        .setValue(now - silentSince)
        .setThreshold(stallTimeoutMs)
        .setEpoch(lastEpoch)
        .setEventTime(Instant.ofEpochMilli(now))
        .setReason(
            "no event for "
                + (now - silentSince)
                + " ms after epoch "
                + lastEpoch
                + " (job.stall-timeout-ms = "
                + stallTimeoutMs
                + "); the run is closed as stalled")
        .build();
  }
}
