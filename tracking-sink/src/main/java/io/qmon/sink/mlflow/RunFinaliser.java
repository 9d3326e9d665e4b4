package io.qmon.sink.mlflow;

import io.qmon.metrics.MetricNames;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunCloseStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a run in MLflow from its RUN_CLOSED record: uploads the artifacts ({@link RunArtifacts}, the
 * closing histogram's snapshot among them), tags the qmon status, epochs and message, sets the
 * MLflow status (SUCCEEDED → FINISHED, FAILED and TIMED_OUT → FAILED, KILLED → KILLED, STALLED →
 * FAILED tagged {@code qmon.stalled=true}) with the record's event time as end time, and finishes a
 * sweep's parent run once no repeat is left running. Idempotent: a replay uploads the same files
 * and sets the same status again.
 */
final class RunFinaliser {
  private static final Logger LOG = LoggerFactory.getLogger(RunFinaliser.class);

  static final String STATUS_TAG = "qmon.status";
  static final String EPOCHS_TAG = "qmon.epochs";
  static final String STALLED_TAG = "qmon.stalled";
  static final String MESSAGE_TAG = "qmon.message";

  /** The divergences drawn in {@value RunArtifacts#CURVES}, each with its floor when it has one. */
  static final List<String> CURVE_KEYS = MetricNames.WITH_FLOOR;

  private final MlflowApi mlflow;

  RunFinaliser(MlflowApi mlflow) {
    this.mlflow = mlflow;
  }

  /** MLflow's status for a qmon close status; an unset status counts as failed. */
  static RunStatus mlflowStatus(RunCloseStatus status) {
    if (status == null) {
      return RunStatus.FAILED;
    }
    return switch (status) {
      case SUCCEEDED -> RunStatus.FINISHED;
      case FAILED, TIMED_OUT, STALLED -> RunStatus.FAILED;
      case KILLED -> RunStatus.KILLED;
    };
  }

  /** The tags a closed run gets. */
  static Map<String, String> closingTags(MetricRecord closed) {
    Map<String, String> tags = new LinkedHashMap<>();
    RunCloseStatus status = closed.getStatus();
    tags.put(STATUS_TAG, status == null ? "UNKNOWN" : status.name());
    tags.put(EPOCHS_TAG, Integer.toString(closed.getLastEpoch()));
    tags.put(STALLED_TAG, Boolean.toString(status == RunCloseStatus.STALLED));
    if (closed.getMessage() != null) {
      tags.put(
          MESSAGE_TAG, MlflowLimits.tagValue(closed.getRunId(), MESSAGE_TAG, closed.getMessage()));
    }
    return tags;
  }

  void finish(MlflowRunRegistry.Entry run, MetricRecord closed) throws Exception {
    uploadArtifacts(run, closed);
    String id = run.mlflowRunId();
    mlflow.logParamsAndTags(id, Map.of(), closingTags(closed));
    long end = closed.getEventTime().toEpochMilli();
    mlflow.terminate(id, mlflowStatus(closed.getStatus()), end);
    if (run.parentRunId != null
        && !mlflow.hasOpenChildren(run.run.getExperimentId(), run.parentRunId)) {
      mlflow.terminate(run.parentRunId, RunStatus.FINISHED, end);
    }
  }

  private void uploadArtifacts(MlflowRunRegistry.Entry run, MetricRecord closed) throws Exception {
    if (closed.getHistogram() == null) {
      LOG.warn(
          "Run {}: its RUN_CLOSED record has no histogram; no distribution artifacts",
          run.qmonRunId);
    } else {
      mlflow.uploadArtifact(
          run.run, RunArtifacts.DISTRIBUTIONS, RunArtifacts.distributionsJson(closed));
      mlflow.uploadArtifact(run.run, RunArtifacts.HISTOGRAM, RunArtifacts.histogramPng(closed));
      DistributionSnapshots.upload(mlflow, run.run, closed);
    }
    Map<String, List<Metric>> curves = new LinkedHashMap<>();
    Map<String, List<Metric>> floors = new LinkedHashMap<>();
    for (String key : CURVE_KEYS) {
      List<Metric> values = mlflow.history(run.mlflowRunId(), key);
      if (!values.isEmpty()) {
        curves.put(key, values);
        floors.put(key, mlflow.history(run.mlflowRunId(), key + MetricPoints.FLOOR_SUFFIX));
      }
    }
    mlflow.uploadArtifact(
        run.run, RunArtifacts.CURVES, RunArtifacts.curvesPng(run.qmonRunId, curves, floors));
  }
}
