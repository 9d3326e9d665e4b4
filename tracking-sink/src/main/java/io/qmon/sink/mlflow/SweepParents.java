package io.qmon.sink.mlflow;

import java.util.List;
import java.util.Map;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * The MLflow runs a sweep hangs from, found by tag or created once (lookups go through {@link
 * MlflowWriter.Shared} so two lanes, or a lane and the sweep feed, never create the same run): per
 * experiment a sweep run {@code sweep-<experiment>} tagged {@value #SWEEP_EXPERIMENT_TAG}, holding
 * the sweep's table and chart; under it, per configuration, a parent run {@code sweep-<config id>}
 * tagged {@value #SWEEP_CONFIG_TAG}, holding that configuration's statistics; under that, the
 * repeats.
 */
final class SweepParents {
  /** Tag of a sweep configuration's parent run. */
  static final String SWEEP_CONFIG_TAG = "qmon.sweep_config";

  /** Tag of an experiment's sweep run. */
  static final String SWEEP_EXPERIMENT_TAG = "qmon.sweep_experiment";

  private SweepParents() {}

  /** The parent run of a configuration's repeats. */
  static String configurationRun(
      MlflowApi mlflow,
      MlflowWriter.Shared shared,
      WriterStats stats,
      String experimentId,
      String configId,
      long startTime) {
    return shared.parentRun(
        experimentId,
        configId,
        () ->
            findOrCreate(
                mlflow,
                stats,
                experimentId,
                SWEEP_CONFIG_TAG,
                configId,
                "sweep-" + configId,
                startTime));
  }

  /** The run of an experiment's whole sweep. */
  static String sweepRun(
      MlflowApi mlflow,
      MlflowWriter.Shared shared,
      WriterStats stats,
      String experimentId,
      String experiment,
      long startTime) {
    return shared.sweepRun(
        experimentId,
        () ->
            findOrCreate(
                mlflow,
                stats,
                experimentId,
                SWEEP_EXPERIMENT_TAG,
                experiment,
                "sweep-" + experiment,
                startTime));
  }

  private static String findOrCreate(
      MlflowApi mlflow,
      WriterStats stats,
      String experimentId,
      String tag,
      String value,
      String name,
      long startTime) {
    List<RunInfo> found = mlflow.findRunsByTag(List.of(experimentId), tag, value);
    if (!found.isEmpty()) {
      return found.get(0).getRunId();
    }
    stats.runsCreated.incrementAndGet();
    return mlflow.createRun(experimentId, name, startTime, Map.of(tag, value)).getRunId();
  }
}
