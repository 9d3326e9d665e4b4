package io.qmon.sink.mlflow;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MLflow's size limits for params and tags, applied before sending so a long value does not fail
 * the whole batch; every truncation is logged as a warning with the run and key.
 */
final class MlflowLimits {
  private static final Logger LOG = LoggerFactory.getLogger(MlflowLimits.class);

  /** Longest key of a param, tag or metric. */
  static final int MAX_KEY = 250;

  /** Longest param value (MLflow 2.x and later). */
  static final int MAX_PARAM_VALUE = 6000;

  /** Longest tag value. */
  static final int MAX_TAG_VALUE = 8000;

  /** LogBatch limits per request. */
  static final int MAX_BATCH_METRICS = 1000;

  static final int MAX_BATCH_PARAMS = 100;
  static final int MAX_BATCH_TAGS = 100;

  private MlflowLimits() {}

  static String key(String runId, String key) {
    return fit(runId, "key", key, key, MAX_KEY);
  }

  static String paramValue(String runId, String key, String value) {
    return fit(runId, "param", key, value, MAX_PARAM_VALUE);
  }

  static String tagValue(String runId, String key, String value) {
    return fit(runId, "tag", key, value, MAX_TAG_VALUE);
  }

  private static String fit(String runId, String kind, String key, String value, int max) {
    if (value.length() <= max) {
      return value;
    }
    LOG.warn(
        "Run {}: {} '{}' has {} characters, truncated to MLflow's limit of {}",
        runId,
        kind,
        key.length() > 80 ? key.substring(0, 80) + "..." : key,
        value.length(),
        max);
    return value.substring(0, max);
  }
}
