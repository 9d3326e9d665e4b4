package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MLflow params and tags of a qmon run, within MLflow's limits: from its RUN_OPENED record (the
 * params and tags the producer's run start carried, as the job forwards them), or, for a run whose
 * RUN_OPENED this sink did not see, only what any metric record carries.
 *
 * @param params param key to value
 * @param tags tag key to value, including {@value #RUN_ID_TAG}
 */
record RunDescription(Map<String, String> params, Map<String, String> tags) {
  /** Tag that identifies the MLflow run of a qmon run; searched on restart. */
  static final String RUN_ID_TAG = "qmon.run_id";

  /** Tag with the run's experiment. */
  static final String EXPERIMENT_TAG = "qmon.experiment";

  /** Tag that identifies the parent run of a sweep configuration. */
  static final String CONFIG_ID_TAG = "qmon.config_id";

  /**
   * Tag set to {@code false} on a run created from a metric record because its RUN_OPENED was not
   * seen (it has no params and none of the producer's tags); set to {@code true} once it is.
   */
  static final String OPENED_TAG = "qmon.opened";

  /** Tag MLflow uses to nest a run under its parent. */
  static final String PARENT_TAG = "mlflow.parentRunId";

  /** Params and tags of an opened run. */
  static RunDescription opened(MetricRecord opened) {
    String runId = opened.getRunId();
    Map<String, String> params = new LinkedHashMap<>();
    opened.getParams().forEach((k, v) -> put(params, runId, k, v));
    Map<String, String> tags = new LinkedHashMap<>();
    opened.getTags().forEach((k, v) -> tag(tags, runId, k, v));
    tags.putAll(identity(opened));
    tag(tags, runId, OPENED_TAG, "true");
    return new RunDescription(params, tags);
  }

  /** The tags every record allows: run id, experiment and sweep configuration. */
  static Map<String, String> identity(MetricRecord record) {
    String runId = record.getRunId();
    Map<String, String> tags = new LinkedHashMap<>();
    tag(tags, runId, RUN_ID_TAG, runId);
    if (record.getExperiment() != null) {
      tag(tags, runId, EXPERIMENT_TAG, record.getExperiment());
    }
    if (record.getConfigId() != null) {
      tag(tags, runId, CONFIG_ID_TAG, record.getConfigId());
    }
    return tags;
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
