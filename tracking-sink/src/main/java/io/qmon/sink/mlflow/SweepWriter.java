package io.qmon.sink.mlflow;

import io.qmon.schemas.SweepSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;

/**
 * Writes the job's sweep summaries (qgm.sweeps) into MLflow. Each configuration's parent run gets
 * its statistics as metrics {@code sweep.<metric>_mean|_std|_ci_low|_ci_high} plus {@value
 * #RANK_METRIC}, {@value #RUNS_METRIC} and {@value #CONFIGURATIONS_METRIC} (step = repeats
 * aggregated, so the history shows the mean settling as repeats finish; for the rank and the
 * configuration count, step = the experiment's ranking revision, so the job's latest ranking is
 * MLflow's latest value whatever order the partitions are read in) and the tags {@value #RANK_TAG},
 * {@value #RUNS_TAG}; each experiment's sweep run gets the table ({@value #TABLE_CSV}, {@value
 * #TABLE_MARKDOWN}) and the error-bar chart ({@value #TABLE_CHART}), rewritten at most once per
 * {@link #writeTables} call for the experiments that changed. Idempotent: points MLflow already has
 * are not sent again and the table files are overwritten in place, so a restart that re-reads the
 * compacted topic adds no point and no file.
 */
final class SweepWriter {
  static final String METRIC_PREFIX = "sweep.";
  static final String RANK_METRIC = "sweep.rank";
  static final String RUNS_METRIC = "sweep.runs";
  static final String CONFIGURATIONS_METRIC = "sweep.configurations";
  static final String RANK_TAG = "qmon.sweep.rank";
  static final String RUNS_TAG = "qmon.sweep.runs";
  static final String CONFIGURATIONS_TAG = "qmon.sweep.configurations";
  static final String BEST_TAG = "qmon.sweep.best_config";
  static final String TABLE_CSV = "sweep/table.csv";
  static final String TABLE_MARKDOWN = "sweep/table.md";
  static final String TABLE_CHART = "sweep/configurations.png";

  /** Panels of the error-bar chart: the table's leading final metrics. */
  static final int CHART_METRICS = 3;

  private final MlflowApi mlflow;
  private final MlflowWriter.Shared shared;
  private final WriterStats stats;
  private final Map<String, Map<String, SweepSummary>> experiments = new HashMap<>();
  private final Map<String, Long> latestUpdate = new HashMap<>();
  private final Set<String> changed = new LinkedHashSet<>();
  private final Map<String, Set<String>> written = new HashMap<>();

  SweepWriter(MlflowApi mlflow, MlflowWriter.Shared shared, WriterStats stats) {
    this.mlflow = mlflow;
    this.shared = shared;
    this.stats = stats;
  }

  /** Remembers the configuration's latest summary and writes its statistics to its parent run. */
  void accept(SweepSummary summary) {
    String experiment = summary.getExperiment();
    experiments
        .computeIfAbsent(experiment, e -> new LinkedHashMap<>())
        .put(summary.getConfigId(), summary);
    long updated = summary.getUpdatedTime().toEpochMilli();
    latestUpdate.merge(experiment, updated, Math::max);
    changed.add(experiment);
    String experimentId = experimentId(experiment);
    String sweepRun =
        SweepParents.sweepRun(mlflow, shared, stats, experimentId, experiment, updated);
    String parent =
        SweepParents.configurationRun(
            mlflow, shared, stats, experimentId, summary.getConfigId(), updated);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(RunDescription.PARENT_TAG, sweepRun);
    tags.put(RunDescription.EXPERIMENT_TAG, experiment);
    tags.put(RunDescription.CONFIG_ID_TAG, summary.getConfigId());
    tags.put(RANK_TAG, Integer.toString(summary.getRank()));
    tags.put(RUNS_TAG, Integer.toString(summary.getRuns()));
    tags.put(CONFIGURATIONS_TAG, Integer.toString(summary.getConfigurations()));
    mlflow.logParamsAndTags(parent, Map.of(), tags);
    logNew(parent, points(summary, latestUpdate.get(experiment)));
    stats.sweepUpdates.incrementAndGet();
  }

  /** The MLflow points of a summary; the rank's timestamp is the experiment's latest update. */
  static List<Metric> points(SweepSummary summary, long rankedAt) {
    long step = summary.getRuns();
    long time = summary.getUpdatedTime().toEpochMilli();
    List<Metric> points = new ArrayList<>();
    summary
        .getStatistics()
        .forEach(
            (key, value) -> {
              if (Double.isFinite(value)) {
                points.add(point(METRIC_PREFIX + key, value, step, time));
              }
            });
    points.add(point(RUNS_METRIC, summary.getRuns(), step, time));
    // A rank changes when another configuration gains a repeat, whose update time may be earlier
    // than this one's: stamped at (runs, update time), the new rank collided with the old point
    // (the same identity, so it was never sent) and MLflow kept the old rank. The job's revision
    // orders rankings; MLflow's latest is the highest step.
    long ranking = summary.getRanking();
    points.add(point(RANK_METRIC, summary.getRank(), ranking, rankedAt));
    points.add(point(CONFIGURATIONS_METRIC, summary.getConfigurations(), ranking, rankedAt));
    return points;
  }

  /** Uploads the table and chart of every experiment whose configurations changed. */
  void writeTables() throws Exception {
    for (String experiment : new ArrayList<>(changed)) {
      SweepTable table = SweepTable.of(experiment, experiments.get(experiment).values());
      String experimentId = experimentId(experiment);
      long latest = latestUpdate.get(experiment);
      String sweepRunId =
          SweepParents.sweepRun(mlflow, shared, stats, experimentId, experiment, latest);
      RunInfo sweepRun = mlflow.runInfo(sweepRunId);
      mlflow.uploadArtifact(sweepRun, TABLE_CSV, table.csv().getBytes(StandardCharsets.UTF_8));
      mlflow.uploadArtifact(
          sweepRun, TABLE_MARKDOWN, table.markdown().getBytes(StandardCharsets.UTF_8));
      List<String> charted =
          table.finalMetrics().isEmpty() ? table.metrics() : table.finalMetrics();
      charted = charted.subList(0, Math.min(CHART_METRICS, charted.size()));
      mlflow.uploadArtifact(
          sweepRun,
          TABLE_CHART,
          Charts.png(
              Charts.sweep("Sweep " + experiment + ": configurations by rank", table, charted)));
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(SweepParents.SWEEP_EXPERIMENT_TAG, experiment);
      tags.put(CONFIGURATIONS_TAG, Integer.toString(table.rows().size()));
      if (!table.rows().isEmpty() && table.rows().get(0).rank() == 1) {
        tags.put(BEST_TAG, table.rows().get(0).configId());
      }
      mlflow.logParamsAndTags(sweepRunId, Map.of(), tags);
      // The sweep run only holds results; it is finished whenever its table is current.
      mlflow.terminate(sweepRunId, RunStatus.FINISHED, latest);
      changed.remove(experiment);
      stats.sweepTables.incrementAndGet();
    }
  }

  /** Experiments whose table is not written yet. */
  Set<String> pendingTables() {
    return Set.copyOf(changed);
  }

  private String experimentId(String experiment) {
    return shared.experimentId(experiment, () -> mlflow.experimentId(experiment));
  }

  private void logNew(String runId, List<Metric> points) {
    Set<String> have = written.get(runId);
    if (have == null) {
      have = mlflow.writtenPoints(runId);
      written.put(runId, have);
    }
    List<Metric> fresh = new ArrayList<>();
    for (Metric point : points) {
      if (!have.contains(MetricPoints.identity(point))) {
        fresh.add(point);
      }
    }
    for (int i = 0; i < fresh.size(); i += MlflowLimits.MAX_BATCH_METRICS) {
      List<Metric> chunk =
          fresh.subList(i, Math.min(fresh.size(), i + MlflowLimits.MAX_BATCH_METRICS));
      try {
        mlflow.logMetrics(runId, chunk);
      } catch (RuntimeException e) {
        // MLflow may have stored the batch before failing to answer: re-read before retrying.
        written.remove(runId);
        throw e;
      }
      chunk.forEach(p -> written.get(runId).add(MetricPoints.identity(p)));
      stats.pointsWritten.addAndGet(chunk.size());
    }
  }

  private static Metric point(String key, double value, long step, long timestamp) {
    return Metric.newBuilder()
        .setKey(key)
        .setValue(value)
        .setStep(step)
        .setTimestamp(timestamp)
        .build();
  }
}
