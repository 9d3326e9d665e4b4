package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import java.util.ArrayList;
import java.util.List;
import org.mlflow.api.proto.Service.Metric;

/**
 * The MLflow metric points of a metric record: one per metric and one per shot-noise floor ({@code
 * <name>_noise_floor}), step = the record's last epoch, timestamp = its event time. EPOCH records
 * (with their {@code loss.<name>} entries) and STATE records keep the metric names, so losses and
 * entanglement appear as curves beside the divergences; WINDOW records get a {@code window.} prefix
 * and the summaries (RUN_CLOSED, legacy RUN_SUMMARY) a {@code summary.} prefix so they do not mix
 * with the per-epoch curves. RUN_OPENED carries no metrics.
 */
final class MetricPoints {
  static final String FLOOR_SUFFIX = "_noise_floor";
  static final String WINDOW_PREFIX = "window.";
  static final String SUMMARY_PREFIX = "summary.";

  private MetricPoints() {}

  static List<Metric> of(MetricRecord record) {
    String prefix =
        switch (record.getScope()) {
          case EPOCH, STATE, RUN_OPENED -> "";
          case WINDOW -> WINDOW_PREFIX;
          case RUN_SUMMARY, RUN_CLOSED -> SUMMARY_PREFIX;
        };
    long step = record.getLastEpoch();
    long timestamp = record.getEventTime().toEpochMilli();
    List<Metric> points = new ArrayList<>(record.getMetrics().size() * 2);
    record
        .getMetrics()
        .forEach((name, value) -> points.add(point(prefix + name, value, step, timestamp)));
    record
        .getNoiseFloors()
        .forEach(
            (name, value) ->
                points.add(point(prefix + name + FLOOR_SUFFIX, value, step, timestamp)));
    return points;
  }

  private static Metric point(String key, double value, long step, long timestamp) {
    return Metric.newBuilder()
        .setKey(key)
        .setValue(value)
        .setStep(step)
        .setTimestamp(timestamp)
        .build();
  }

  /** Identity of a point for deduplication: MLflow itself stores repeated points. */
  static String identity(Metric metric) {
    return metric.getKey() + '|' + metric.getStep() + '|' + metric.getTimestamp();
  }
}
