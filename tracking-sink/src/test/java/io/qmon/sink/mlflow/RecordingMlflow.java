package io.qmon.sink.mlflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;

/**
 * An in-memory stand-in for our own {@link MlflowApi} (not for MLflow: the integration tests use a
 * real server): keeps experiments, runs, params, tags, points and artifacts, and throws queued
 * failures on the next calls.
 */
final class RecordingMlflow implements MlflowApi {
  /** One stored run. */
  static final class StoredRun {
    final String id;
    final String experimentId;
    final String name;
    final Map<String, String> params = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();
    final List<Metric> points = new ArrayList<>();
    final Map<String, byte[]> artifacts = new LinkedHashMap<>();
    RunStatus status = RunStatus.RUNNING;
    long endTime;

    StoredRun(String id, String experimentId, String name) {
      this.id = id;
      this.experimentId = experimentId;
      this.name = name;
    }
  }

  final Map<String, String> experiments = new LinkedHashMap<>();
  final Map<String, StoredRun> runs = new LinkedHashMap<>();
  final Deque<RuntimeException> failures = new ArrayDeque<>();
  int calls;

  /** The next call throws this. */
  synchronized void failNext(RuntimeException failure) {
    failures.add(failure);
  }

  private synchronized void call() {
    calls++;
    RuntimeException failure = failures.poll();
    if (failure != null) {
      throw failure;
    }
  }

  /** The runs named so (MLflow allows several). */
  synchronized List<StoredRun> named(String name) {
    return runs.values().stream().filter(r -> r.name.equals(name)).toList();
  }

  @Override
  public synchronized String experimentId(String name) {
    call();
    return experiments.computeIfAbsent(name, n -> Integer.toString(experiments.size() + 1));
  }

  @Override
  public synchronized List<RunInfo> findRunsByTag(
      List<String> experimentIds, String tag, String value) {
    call();
    return runs.values().stream()
        .filter(r -> experimentIds.contains(r.experimentId) && value.equals(r.tags.get(tag)))
        .map(RecordingMlflow::info)
        .toList();
  }

  @Override
  public synchronized List<String> allExperimentIds() {
    call();
    return List.copyOf(experiments.values());
  }

  @Override
  public synchronized RunInfo createRun(
      String experimentId, String runName, long startTime, Map<String, String> tags) {
    call();
    StoredRun run = new StoredRun("mlflow-" + (runs.size() + 1), experimentId, runName);
    run.tags.putAll(tags);
    runs.put(run.id, run);
    return info(run);
  }

  @Override
  public synchronized void logParamsAndTags(
      String runId, Map<String, String> params, Map<String, String> tags) {
    call();
    runs.get(runId).params.putAll(params);
    runs.get(runId).tags.putAll(tags);
  }

  @Override
  public synchronized void logMetrics(String runId, List<Metric> points) {
    call();
    runs.get(runId).points.addAll(points);
  }

  @Override
  public synchronized Set<String> writtenPoints(String runId) {
    call();
    Set<String> written = new HashSet<>();
    runs.get(runId).points.forEach(p -> written.add(MetricPoints.identity(p)));
    return written;
  }

  @Override
  public synchronized String tag(String runId, String key) {
    call();
    return runs.get(runId).tags.get(key);
  }

  @Override
  public synchronized boolean hasOpenChildren(String experimentId, String parentRunId) {
    call();
    return runs.values().stream()
        .anyMatch(
            r ->
                parentRunId.equals(r.tags.get(RunDescription.PARENT_TAG))
                    && r.status == RunStatus.RUNNING);
  }

  @Override
  public synchronized List<Metric> history(String runId, String key) {
    call();
    return runs.get(runId).points.stream().filter(p -> p.getKey().equals(key)).toList();
  }

  @Override
  public synchronized void terminate(String runId, RunStatus status, long endTime) {
    call();
    runs.get(runId).status = status;
    runs.get(runId).endTime = endTime;
  }

  @Override
  public synchronized RunInfo runInfo(String runId) {
    call();
    return info(runs.get(runId));
  }

  @Override
  public synchronized void uploadArtifact(RunInfo run, String fileName, byte[] content) {
    call();
    runs.get(run.getRunId()).artifacts.put(fileName, content);
  }

  @Override
  public void close() {}

  private static RunInfo info(StoredRun run) {
    return RunInfo.newBuilder()
        .setRunId(run.id)
        .setExperimentId(run.experimentId)
        .setArtifactUri("mlflow-artifacts:/" + run.id)
        .build();
  }
}
