package io.qmon.metrics.stats;

import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Running statistics of many named metrics: over the epochs of one run, or over the repeats of one
 * sweep configuration ("mean KS, std KS, mean relative entropy, std relative entropy over 10
 * runs"). Mergeable and serialisable, so partial aggregates from parallel workers combine.
 */
public final class MetricAggregate implements Serializable {
  private static final long serialVersionUID = 1L;

  private final TreeMap<String, RunningStats> byMetric = new TreeMap<>();

  /** Adds one observation of a metric. */
  public void add(String metric, double value) {
    byMetric.computeIfAbsent(metric, m -> new RunningStats()).add(value);
  }

  /** Adds one observation of every metric, e.g. {@code MetricSet.values()} of one epoch or run. */
  public void addAll(Map<String, Double> values) {
    values.forEach(this::add);
  }

  /** Folds another aggregate into this one. */
  public void merge(MetricAggregate other) {
    other.byMetric.forEach(
        (metric, stats) -> byMetric.computeIfAbsent(metric, m -> new RunningStats()).merge(stats));
  }

  /** The statistics of one metric, if it was ever observed; a copy. */
  public Optional<RunningStats> stats(String metric) {
    RunningStats s = byMetric.get(metric);
    return s == null ? Optional.empty() : Optional.of(s.copy());
  }

  /** Every metric's statistics, by name; copies. */
  public Map<String, RunningStats> all() {
    TreeMap<String, RunningStats> out = new TreeMap<>();
    byMetric.forEach((metric, stats) -> out.put(metric, stats.copy()));
    return Collections.unmodifiableMap(out);
  }
}
