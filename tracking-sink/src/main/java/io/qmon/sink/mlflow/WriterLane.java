package io.qmon.sink.mlflow;

import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.avro.specific.SpecificRecord;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer lane of the {@link MlflowWriter}, on its own thread: writes the qmon runs that hash to
 * it (see {@link MlflowWriter#laneOf}), so everything about one run (its creation, its ordered
 * points, the points MLflow already has, its finalization) stays on one thread. Creates (or finds,
 * by the {@code qmon.run_id} tag) one MLflow run per qmon run, nested under a parent run per sweep
 * configuration (shared by the lanes); batches metric points per run into LogBatch requests; on run
 * end, uploads artifacts and sets the status. Points MLflow already has are not sent again (the
 * run's history is read once per run per process, and again after any failed write). Every MLflow
 * call is retried with backoff while MLflow is down; the lane's queue then holds the shared
 * capacity and the consumer pauses. A record's offset is completed only after what it carries was
 * accepted.
 */
final class WriterLane {
  private static final Logger LOG = LoggerFactory.getLogger(WriterLane.class);
  private static final int MAX_REMEMBERED_SHOTS = 10_000;
  private static final List<String> CURVE_KEYS =
      List.of("jsd", "jsd" + MetricPoints.FLOOR_SUFFIX, "fidelity");

  private final MlflowGateway mlflow;
  private final MlflowWriter.Settings settings;
  private final OffsetTracker offsets;
  private final LongSupplier clock;
  private final WriterStats stats;
  private final MlflowWriter.Shared shared;
  private final Semaphore capacity;
  private final Retrier retrier;
  private final BlockingQueue<Work> queue = new LinkedBlockingQueue<>();
  private final Map<String, RunState> runs = new HashMap<>();
  private final Map<String, List<Work>> parked = new LinkedHashMap<>();
  private final Set<String> unknownRuns = new HashSet<>();
  private final Map<String, String> targetOfRun = new HashMap<>();
  private final Map<String, ShotCounts> lastShots =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ShotCounts> eldest) {
          return size() > MAX_REMEMBERED_SHOTS;
        }
      };
  private final Thread thread;
  private volatile boolean running = true;
  private volatile int parkedCount;
  private volatile RuntimeException failure;
  private int pendingPoints;
  private long oldestPendingMillis;

  WriterLane(
      int index,
      MlflowGateway mlflow,
      MlflowWriter.Settings settings,
      OffsetTracker offsets,
      LongSupplier clock,
      WriterStats stats,
      MlflowWriter.Shared shared,
      Semaphore capacity) {
    this.mlflow = mlflow;
    this.settings = settings;
    this.offsets = offsets;
    this.clock = clock;
    this.stats = stats;
    this.shared = shared;
    this.capacity = capacity;
    this.retrier = new Retrier(settings.retryInitial(), settings.retryMax(), () -> running, stats);
    this.thread = new Thread(this::loop, "qmon-mlflow-writer-" + index);
  }

  void start() {
    thread.start();
  }

  /**
   * Queues a record whose permit of the writer's shared capacity was taken; the lane gives the
   * permit back when it takes the record off its queue.
   */
  void enqueue(Work work) {
    queue.add(work);
  }

  /** Records queued for this lane and not taken yet. */
  int queued() {
    return queue.size();
  }

  /** Metric records held because their run's start has not been seen. */
  int parkedCount() {
    return parkedCount;
  }

  /** The error the lane ended on, or null. */
  RuntimeException failure() {
    return failure;
  }

  private void loop() {
    List<Work> drained = new ArrayList<>();
    try {
      while (running) {
        Work first = queue.poll(settings.linger().toMillis(), TimeUnit.MILLISECONDS);
        if (first != null) {
          capacity.release();
          handle(first);
          drained.clear();
          queue.drainTo(drained, 4 * settings.batchMaxMetrics());
          capacity.release(drained.size());
          for (Work work : drained) {
            handle(work);
          }
        }
        long now = clock.getAsLong();
        if (pendingPoints >= settings.batchMaxMetrics()
            || (pendingPoints > 0
                && (first == null || now - oldestPendingMillis >= settings.linger().toMillis()))) {
          flushAll();
        }
        finishDueRuns(now);
        markStalledRuns(now);
      }
      flushAll();
    } catch (Retrier.Stopped e) {
      LOG.info(
          "MLflow writer lane stopped with unwritten records; they are replayed on restart: {}",
          e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      LOG.info("MLflow writer lane interrupted; unwritten records are replayed on restart");
    } catch (RuntimeException e) {
      failure = e;
      LOG.error("MLflow writer lane failed; unwritten records are replayed on restart", e);
    }
  }

  private void handle(Work work) {
    SpecificRecord value = work.value();
    if (value instanceof MetricRecord record) {
      RunState run = resolve(record.getRunId());
      if (run == null) {
        park(record.getRunId(), work);
      } else {
        addPoints(run, record, work);
      }
    } else if (value instanceof RunEvent event && event.getPayload() instanceof RunStarted start) {
      onStarted(event, start);
      complete(work);
      unpark(event.getRunId());
    } else if (value instanceof RunEvent event
        && event.getPayload() instanceof RunFinished finished) {
      RunState run = resolve(event.getRunId());
      if (run == null) {
        park(event.getRunId(), work);
      } else {
        run.finish = finished;
        run.finishWork = work;
        run.finishDeadlineMillis = clock.getAsLong() + settings.finishGrace().toMillis();
        run.endTimeMillis = event.getEventTime().toEpochMilli();
      }
    } else if (value instanceof ShotCounts shots) {
      ShotCounts previous = lastShots.get(shots.getRunId());
      if (previous == null || previous.getEpoch() <= shots.getEpoch()) {
        lastShots.put(shots.getRunId(), shots);
      }
      complete(work);
    } else {
      complete(work);
    }
  }

  private void onStarted(RunEvent event, RunStarted start) {
    String runId = event.getRunId();
    unknownRuns.remove(runId);
    targetOfRun.put(runId, start.getTargetId());
    if (runs.containsKey(runId)) {
      return;
    }
    String experimentId = experimentId(start.getExperiment());
    String parentId =
        start.getConfigId() == null
            ? null
            : parentRun(experimentId, start.getConfigId(), event.getEventTime().toEpochMilli());
    RunDescription description = RunDescription.of(runId, start);
    Map<String, String> tags = new LinkedHashMap<>(description.tags());
    if (parentId != null) {
      tags.put(RunDescription.PARENT_TAG, parentId);
    }
    RunInfo info =
        findOrCreate(
            experimentId,
            RunDescription.RUN_ID_TAG,
            runId,
            runId,
            event.getEventTime().toEpochMilli());
    try {
      retrier.run(
          "logging params of run " + runId,
          () -> mlflow.logParamsAndTags(info.getRunId(), description.params(), tags));
    } catch (Retrier.RejectedByMlflow e) {
      stats.rejected.incrementAndGet();
      LOG.error("Run {}: params/tags refused, metrics still follow", runId, e);
    }
    runs.put(runId, new RunState(runId, info, parentId, clock.getAsLong()));
  }

  private RunInfo findOrCreate(
      String experimentId, String tag, String value, String runName, long startTime) {
    List<RunInfo> found =
        retrier.call(
            "searching run " + value,
            () -> mlflow.findRunsByTag(List.of(experimentId), tag, value));
    if (!found.isEmpty()) {
      return found.get(0);
    }
    RunInfo created =
        retrier.call(
            "creating run " + value,
            () -> mlflow.createRun(experimentId, runName, startTime, Map.of(tag, value)));
    stats.runsCreated.incrementAndGet();
    return created;
  }

  private String experimentId(String name) {
    return shared.experimentId(
        name, () -> retrier.call("experiment " + name, () -> mlflow.experimentId(name)));
  }

  private String parentRun(String experimentId, String configId, long startTime) {
    return shared.parentRun(
        experimentId,
        configId,
        () ->
            findOrCreate(
                    experimentId, MlflowWriter.SWEEP_TAG, configId, "sweep-" + configId, startTime)
                .getRunId());
  }

  /** The state of a run, looked up in MLflow by tag once if this process has not seen it. */
  private RunState resolve(String runId) {
    RunState run = runs.get(runId);
    if (run != null || unknownRuns.contains(runId)) {
      return run;
    }
    List<RunInfo> found =
        retrier.call(
            "searching run " + runId,
            () ->
                mlflow.findRunsByTag(mlflow.allExperimentIds(), RunDescription.RUN_ID_TAG, runId));
    if (found.isEmpty()) {
      unknownRuns.add(runId);
      return null;
    }
    RunInfo info = found.get(0);
    String parentId =
        retrier.call(
            "reading run " + runId, () -> mlflow.tag(info.getRunId(), RunDescription.PARENT_TAG));
    run = new RunState(runId, info, parentId, clock.getAsLong());
    runs.put(runId, run);
    return run;
  }

  private void park(String runId, Work work) {
    parked.computeIfAbsent(runId, r -> new ArrayList<>()).add(work);
    parkedCount++;
  }

  private void unpark(String runId) {
    List<Work> works = parked.remove(runId);
    if (works != null) {
      parkedCount -= works.size();
      works.forEach(this::handle);
    }
  }

  private void addPoints(RunState run, MetricRecord record, Work work) {
    List<Metric> points = MetricPoints.of(record);
    if (pendingPoints == 0) {
      oldestPendingMillis = clock.getAsLong();
    }
    run.pendingPoints.addAll(points);
    run.pendingWork.add(work);
    pendingPoints += points.size();
    run.maxEpoch = Math.max(run.maxEpoch, record.getLastEpoch());
    run.lastActivityMillis = clock.getAsLong();
    targetOfRun.putIfAbsent(run.qmonRunId, record.getTargetId());
    if (run.stalled) {
      run.stalled = false;
      setStatusTags(run, "false", "RUNNING");
    }
  }

  private void flushAll() {
    for (RunState run : runs.values()) {
      flush(run);
    }
  }

  private void flush(RunState run) {
    if (run.pendingWork.isEmpty()) {
      return;
    }
    try {
      retrier.run("logging metrics of run " + run.qmonRunId, () -> writePending(run));
    } catch (Retrier.RejectedByMlflow e) {
      stats.rejected.incrementAndGet();
      LOG.error(
          "Run {}: {} metric points refused by MLflow", run.qmonRunId, run.pendingPoints.size(), e);
    }
    pendingPoints -= run.pendingPoints.size();
    run.pendingPoints.clear();
    run.pendingWork.forEach(this::complete);
    run.pendingWork.clear();
  }

  private void writePending(RunState run) {
    String id = run.mlflowRunId();
    if (run.written == null) {
      run.written = mlflow.writtenPoints(id);
    }
    List<Metric> fresh = new ArrayList<>();
    Set<String> inBatch = new HashSet<>();
    int duplicates = 0;
    for (Metric point : run.pendingPoints) {
      String identity = MetricPoints.identity(point);
      if (run.written.contains(identity) || !inBatch.add(identity)) {
        duplicates++;
      } else {
        fresh.add(point);
      }
    }
    int max = settings.batchMaxMetrics();
    for (int i = 0; i < fresh.size(); i += max) {
      List<Metric> chunk = fresh.subList(i, Math.min(fresh.size(), i + max));
      try {
        mlflow.logMetrics(id, chunk);
      } catch (RuntimeException e) {
        // MLflow may have stored the batch before failing to answer: re-read before retrying.
        run.written = null;
        throw e;
      }
      for (Metric point : chunk) {
        run.written.add(MetricPoints.identity(point));
      }
      stats.pointsWritten.addAndGet(chunk.size());
      stats.batches.incrementAndGet();
    }
    stats.duplicatesSkipped.addAndGet(duplicates);
  }

  private void finishDueRuns(long now) {
    List<RunState> due = new ArrayList<>();
    for (RunState run : runs.values()) {
      if (run.finish != null
          && (run.maxEpoch >= run.finish.getEpochs() || now >= run.finishDeadlineMillis)) {
        due.add(run);
      }
    }
    due.forEach(this::finalizeRun);
  }

  private void finalizeRun(RunState run) {
    flush(run);
    RunFinished finish = run.finish;
    if (run.maxEpoch < finish.getEpochs()) {
      LOG.warn(
          "Run {} finished with metrics up to epoch {} of {}: closing after the grace period",
          run.qmonRunId,
          run.maxEpoch,
          finish.getEpochs());
    }
    try {
      uploadArtifacts(run);
    } catch (Retrier.RejectedByMlflow e) {
      stats.rejected.incrementAndGet();
      LOG.error("Run {}: artifacts refused", run.qmonRunId, e);
    }
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("qmon.status", finish.getStatus().name());
    tags.put("qmon.epochs", Integer.toString(finish.getEpochs()));
    tags.put("qmon.stalled", "false");
    if (finish.getMessage() != null) {
      tags.put(
          "qmon.message",
          MlflowLimits.tagValue(run.qmonRunId, "qmon.message", finish.getMessage()));
    }
    RunStatus status =
        switch (finish.getStatus()) {
          case SUCCEEDED -> RunStatus.FINISHED;
          case FAILED -> RunStatus.FAILED;
          case KILLED -> RunStatus.KILLED;
        };
    String id = run.mlflowRunId();
    retrier.run("tagging run " + run.qmonRunId, () -> mlflow.logParamsAndTags(id, Map.of(), tags));
    retrier.run(
        "terminating run " + run.qmonRunId, () -> mlflow.terminate(id, status, run.endTimeMillis));
    complete(run.finishWork);
    runs.remove(run.qmonRunId);
    lastShots.remove(run.qmonRunId);
    targetOfRun.remove(run.qmonRunId);
    stats.runsFinished.incrementAndGet();
    if (run.parentRunId != null) {
      closeParentIfDone(run);
    }
  }

  private void uploadArtifacts(RunState run) {
    TargetDistribution target = shared.target(targetOfRun.get(run.qmonRunId));
    ShotCounts shots = lastShots.get(run.qmonRunId);
    if (target == null || shots == null) {
      LOG.warn(
          "Run {}: {} not seen by this sink; its distribution artifacts are partial",
          run.qmonRunId,
          target == null ? "target distribution" : "last shot counts");
    }
    Map<String, List<Metric>> curves = new LinkedHashMap<>();
    for (String key : CURVE_KEYS) {
      curves.put(
          key,
          retrier.call("reading history of " + key, () -> mlflow.history(run.mlflowRunId(), key)));
    }
    retrier.run(
        "uploading artifacts of run " + run.qmonRunId,
        () -> {
          try {
            mlflow.uploadArtifact(
                run.mlflowRun,
                RunArtifacts.DISTRIBUTIONS,
                RunArtifacts.distributionsJson(run.qmonRunId, target, shots));
            mlflow.uploadArtifact(
                run.mlflowRun,
                RunArtifacts.HISTOGRAM,
                RunArtifacts.histogramPng(run.qmonRunId, target, shots));
            mlflow.uploadArtifact(
                run.mlflowRun, RunArtifacts.CURVES, RunArtifacts.curvesPng(run.qmonRunId, curves));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Retrier.Stopped("uploading artifacts");
          }
        });
  }

  private void closeParentIfDone(RunState run) {
    String experimentId = run.mlflowRun.getExperimentId();
    boolean open =
        retrier.call(
            "searching open children of " + run.parentRunId,
            () -> mlflow.hasOpenChildren(experimentId, run.parentRunId));
    if (!open) {
      retrier.run(
          "terminating sweep run " + run.parentRunId,
          () -> mlflow.terminate(run.parentRunId, RunStatus.FINISHED, run.endTimeMillis));
    }
  }

  private void markStalledRuns(long now) {
    for (RunState run : runs.values()) {
      if (run.finish == null
          && !run.stalled
          && now - run.lastActivityMillis >= settings.stallTimeout().toMillis()) {
        LOG.warn(
            "Run {} stalled: no metrics for {}; tagging it qmon.stalled=true",
            run.qmonRunId,
            settings.stallTimeout());
        run.stalled = true;
        setStatusTags(run, "true", "STALLED");
      }
    }
  }

  private void setStatusTags(RunState run, String stalled, String status) {
    retrier.run(
        "tagging run " + run.qmonRunId,
        () ->
            mlflow.logParamsAndTags(
                run.mlflowRunId(),
                Map.of(),
                Map.of("qmon.stalled", stalled, "qmon.status", status)));
  }

  private void complete(Work work) {
    offsets.complete(work.partition(), work.offset());
  }

  /** Asks the lane to stop after writing what is pending, if MLflow takes it. */
  void stop() {
    running = false;
  }

  /** Waits up to the deadline (System.nanoTime) for the lane's thread to end. */
  void join(long deadlineNanos) throws InterruptedException {
    long millis = Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000);
    thread.join(millis);
  }
}
