package io.qmon.sink.prometheus;

import io.qmon.schemas.MetricRecord;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code experiment} and {@code config_id} label values of each run, from the job's RUN_OPENED
 * record (the run's start event), else from the run's first exported record (the job stamps the
 * same fields from the same start event on it). Fixed for a run's lifetime, so its series never
 * split. Both are functions of {@code run_id}, so they add no series beyond the run cap; values are
 * cut to {@value #MAX_VALUE_LENGTH} characters. Forgotten when the run closes. Not thread-safe: the
 * exporter's consumer thread owns it.
 */
final class RunLabels {
  static final int MAX_VALUE_LENGTH = 100;

  /** A run's label values; empty strings when the run has none. */
  record Values(String experiment, String configId) {}

  private final int maxRemembered;
  private final Map<String, Values> byRun = new HashMap<>();

  /**
   * @param maxRemembered runs whose RUN_OPENED is remembered before their first series
   */
  RunLabels(int maxRemembered) {
    this.maxRemembered = maxRemembered;
  }

  /** Remembers the values of a RUN_OPENED record (first one wins). */
  void opened(MetricRecord record) {
    if (byRun.size() < maxRemembered) {
      byRun.putIfAbsent(record.getRunId(), of(record));
    }
  }

  /** The run's values: remembered ones, else these (then remembered). */
  Values of(String runId, String experiment, String configId) {
    return byRun.computeIfAbsent(runId, id -> new Values(cut(experiment), cut(configId)));
  }

  void forget(String runId) {
    byRun.remove(runId);
  }

  int size() {
    return byRun.size();
  }

  private static Values of(MetricRecord record) {
    return new Values(cut(record.getExperiment()), cut(record.getConfigId()));
  }

  static String cut(String value) {
    if (value == null) {
      return "";
    }
    return value.length() > MAX_VALUE_LENGTH ? value.substring(0, MAX_VALUE_LENGTH) : value;
  }
}
