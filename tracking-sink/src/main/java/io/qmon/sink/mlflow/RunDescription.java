package io.qmon.sink.mlflow;

import io.qmon.schemas.RunStarted;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MLflow params and tags of a qmon run, from its RunStarted event, within MLflow's limits.
 *
 * @param params param key to value
 * @param tags tag key to value, including {@value #RUN_ID_TAG}
 */
record RunDescription(Map<String, String> params, Map<String, String> tags) {
  /** Tag that identifies the MLflow run of a qmon run; searched on restart. */
  static final String RUN_ID_TAG = "qmon.run_id";

  /** Tag that identifies the parent run of a sweep configuration. */
  static final String CONFIG_ID_TAG = "qmon.config_id";

  /** Tag MLflow uses to nest a run under its parent. */
  static final String PARENT_TAG = "mlflow.parentRunId";

  static RunDescription of(String runId, RunStarted start) {
    Map<String, String> params = new LinkedHashMap<>();
    put(params, runId, "model_type", start.getModelType());
    put(params, runId, "ansatz", start.getAnsatz());
    put(params, runId, "repetitions", Integer.toString(start.getRepetitions()));
    put(params, runId, "qubits", Integer.toString(start.getQubits()));
    put(params, runId, "shots", Long.toString(start.getShots()));
    put(params, runId, "backend", start.getBackend());
    put(
        params,
        runId,
        "noise_model",
        start.getNoiseModel() == null ? "none" : start.getNoiseModel());
    put(params, runId, "optimizer", start.getOptimizer());
    start.getOptimizerSettings().forEach((k, v) -> put(params, runId, "optimizer." + k, v));
    put(params, runId, "seed", Long.toString(start.getSeed()));
    put(params, runId, "target_id", start.getTargetId());
    put(params, runId, "repeat_index", Integer.toString(start.getRepeatIndex()));
    start.getParams().forEach((k, v) -> put(params, runId, k, v));

    Map<String, String> tags = new LinkedHashMap<>();
    start.getTags().forEach((k, v) -> tag(tags, runId, k, v));
    tag(tags, runId, RUN_ID_TAG, runId);
    tag(tags, runId, "qmon.experiment", start.getExperiment());
    tag(tags, runId, "qmon.model_type", start.getModelType());
    if (start.getConfigId() != null) {
      tag(tags, runId, CONFIG_ID_TAG, start.getConfigId());
    }
    return new RunDescription(params, tags);
  }

  private static void put(Map<String, String> params, String runId, String key, String value) {
    String k = MlflowLimits.key(runId, key);
    params.put(k, MlflowLimits.paramValue(runId, k, value == null ? "" : value));
  }

  private static void tag(Map<String, String> tags, String runId, String key, String value) {
    String k = MlflowLimits.key(runId, key);
    tags.put(k, MlflowLimits.tagValue(runId, k, value == null ? "" : value));
  }
}
