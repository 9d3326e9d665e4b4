package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflow.api.proto.Service.RunInfo;

/**
 * Which MLflow run is a qmon run's: created on RUN_OPENED with its params and tags, nested under a
 * parent run per sweep configuration; found again by the {@value RunDescription#RUN_ID_TAG} tag
 * after a restart or replay (so nothing is created twice); created lazily from a metric record when
 * the RUN_OPENED was not seen (the sink started after it, or it was past retention). One registry
 * per writer lane; experiments and sweep parents are shared by the lanes ({@link
 * MlflowWriter.Shared}).
 */
final class MlflowRunRegistry {
  /** MLflow's own experiment, for records that name none (from older jobs). */
  static final String DEFAULT_EXPERIMENT = "Default";

  /** What this process knows of one qmon run's MLflow run. */
  static final class Entry {
    final String qmonRunId;
    final RunInfo run;
    final String parentRunId;

    /** Identities of points MLflow has; null until loaded, reset after an ambiguous failure. */
    Set<String> written;

    Entry(String qmonRunId, RunInfo run, String parentRunId) {
      this.qmonRunId = qmonRunId;
      this.run = run;
      this.parentRunId = parentRunId;
    }

    String mlflowRunId() {
      return run.getRunId();
    }
  }

  private final MlflowApi mlflow;
  private final MlflowWriter.Shared shared;
  private final WriterStats stats;
  private final Map<String, Entry> runs = new HashMap<>();

  MlflowRunRegistry(MlflowApi mlflow, MlflowWriter.Shared shared, WriterStats stats) {
    this.mlflow = mlflow;
    this.shared = shared;
    this.stats = stats;
  }

  /** Creates or finds the run of a RUN_OPENED record and logs its params and tags. */
  Entry open(MetricRecord opened) {
    Entry entry = runs.get(opened.getRunId());
    if (entry == null) {
      entry = findOrCreate(opened, false);
    } else if (entry.parentRunId == null && opened.getConfigId() != null) {
      // Created from a record that named no configuration: the RUN_OPENED nests it after all.
      Entry nested =
          new Entry(
              entry.qmonRunId,
              entry.run,
              parentRun(
                  experimentId(opened),
                  opened.getConfigId(),
                  opened.getEventTime().toEpochMilli()));
      nested.written = entry.written;
      runs.put(opened.getRunId(), nested);
      entry = nested;
    }
    RunDescription description = RunDescription.opened(opened);
    Map<String, String> tags = new LinkedHashMap<>(description.tags());
    if (entry.parentRunId != null) {
      tags.put(RunDescription.PARENT_TAG, entry.parentRunId);
    }
    mlflow.logParamsAndTags(entry.mlflowRunId(), description.params(), tags);
    return entry;
  }

  /** The run of any record: known, found by tag, or created from what the record carries. */
  Entry resolve(MetricRecord record) {
    Entry entry = runs.get(record.getRunId());
    return entry != null ? entry : findOrCreate(record, true);
  }

  /** Forgets a run (closed, or given up). */
  void forget(String runId) {
    runs.remove(runId);
  }

  /** Runs this registry holds. */
  int size() {
    return runs.size();
  }

  private Entry findOrCreate(MetricRecord record, boolean withoutOpen) {
    String runId = record.getRunId();
    String experimentId = experimentId(record);
    long startTime = record.getEventTime().toEpochMilli();
    String parentId =
        record.getConfigId() == null
            ? null
            : parentRun(experimentId, record.getConfigId(), startTime);
    List<RunInfo> found =
        mlflow.findRunsByTag(List.of(experimentId), RunDescription.RUN_ID_TAG, runId);
    RunInfo info;
    if (!found.isEmpty()) {
      info = found.get(0);
    } else {
      Map<String, String> tags = new LinkedHashMap<>(RunDescription.identity(record));
      if (parentId != null) {
        tags.put(RunDescription.PARENT_TAG, parentId);
      }
      if (withoutOpen) {
        tags.put(RunDescription.OPENED_TAG, "false");
      }
      info = mlflow.createRun(experimentId, runId, startTime, tags);
      stats.runsCreated.incrementAndGet();
      if (withoutOpen) {
        stats.runsCreatedWithoutOpen.incrementAndGet();
      }
    }
    Entry entry = new Entry(runId, info, parentId);
    runs.put(runId, entry);
    shared.rememberRun(runId, info);
    return entry;
  }

  private String experimentId(MetricRecord record) {
    String experiment =
        record.getExperiment() == null ? DEFAULT_EXPERIMENT : record.getExperiment();
    return shared.experimentId(experiment, () -> mlflow.experimentId(experiment));
  }

  private String parentRun(String experimentId, String configId, long startTime) {
    return SweepParents.configurationRun(mlflow, shared, stats, experimentId, configId, startTime);
  }
}
