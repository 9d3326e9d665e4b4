package io.qmon.jobs.functions;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.scoring.EpochScorer;
import io.qmon.jobs.scoring.RunState;
import io.qmon.jobs.scoring.RunSummary;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.TargetModel;
import io.qmon.schemas.Alert;
import io.qmon.schemas.AlertState;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.Severity;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.api.java.typeutils.TupleTypeInfo;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Scores each epoch of a run against the run's target, keyed by run id.
 *
 * <p>Targets arrive on a broadcast stream from the compacted targets topic. Run lifecycle and shot
 * events come from two topics, so they can overtake each other: a shot event may come before its
 * run's start or target (it waits in keyed state, at most {@code maxPending} per run), and a run's
 * end may come before its last epochs (the run stays open until it has scored as many epochs as the
 * end event announced). Whatever still waits after {@code pendingTimeoutMs} is dead-lettered with
 * the reason, and a finished run's state is then cleared.
 *
 * <p>A closed run's keyed state is cleared completely; the last {@value #CLOSED_RUNS_REMEMBERED}
 * closed run ids per subtask are kept apart, so an event that arrives after its run closed is
 * dead-lettered at once as {@code RUN_CLOSED}.
 */
public final class ScoreEpochs
    extends KeyedBroadcastProcessFunction<String, InputEvent, InputEvent, MetricRecord>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  /** Closed runs remembered per subtask to name late events for them (oldest forgotten first). */
  static final int CLOSED_RUNS_REMEMBERED = 10_000;

  /**
   * Recently closed runs and when they closed, as operator state: keyed state of a closed run is
   * cleared completely, and this small bounded set lives outside it. Union redistribution hands
   * every subtask the whole set on restore or rescale; ids of runs a subtask never sees cost only
   * memory.
   */
  private static final ListStateDescriptor<Tuple2<String, Long>> CLOSED_RUNS =
      new ListStateDescriptor<>(
          "recently-closed-runs", new TupleTypeInfo<>(Types.STRING, Types.LONG));

  /** Broadcast state: target id to target. */
  public static final MapStateDescriptor<String, TargetDistribution> TARGETS =
      new MapStateDescriptor<>(
          "targets", Types.STRING, new AvroTypeInfo<>(TargetDistribution.class));

  private static final ValueStateDescriptor<RunState> RUN =
      new ValueStateDescriptor<>("run", TypeInformation.of(RunState.class));
  private static final ListStateDescriptor<ShotCounts> PENDING =
      new ListStateDescriptor<>("pending-shots", new AvroTypeInfo<>(ShotCounts.class));

  /** Side output of alerts this function raises itself (stalled runs). */
  public static final OutputTag<Alert> ALERTS =
      new OutputTag<>("run-alerts", new AvroTypeInfo<>(Alert.class));

  /** Detector name of the stalled-run alert. */
  public static final String STALLED = "run-stalled";

  private final OutputTag<DeadLetter> deadLetters;
  private final int maxPending;
  private final long pendingTimeoutMs;
  private final long stallTimeoutMs;
  private final Duration dedupTtl;

  private transient ValueState<RunState> runs;
  private transient ListState<ShotCounts> pending;
  private transient MapState<String, Long> seen;
  private transient Counter duplicates;
  private transient Map<String, CachedTarget> targetModels;
  private transient EpochScorer scorer;
  private transient Counter epochsScored;
  private transient Counter epochsRejected;
  private transient ListState<Tuple2<String, Long>> closedRunsState;
  private transient LinkedHashMap<String, Long> closedRuns;

  /** A target converted once to the metric library's form, valid while its version is current. */
  private record CachedTarget(Instant version, TargetModel model) {}

  public ScoreEpochs(
      OutputTag<DeadLetter> deadLetters,
      int maxPending,
      long pendingTimeoutMs,
      long stallTimeoutMs,
      Duration dedupTtl) {
    this.deadLetters = deadLetters;
    this.maxPending = maxPending;
    this.pendingTimeoutMs = pendingTimeoutMs;
    this.stallTimeoutMs = stallTimeoutMs;
    this.dedupTtl = dedupTtl;
  }

  @Override
  public void open(OpenContext openContext) {
    runs = getRuntimeContext().getState(RUN);
    pending = getRuntimeContext().getListState(PENDING);
    MapStateDescriptor<String, Long> seenDescriptor =
        new MapStateDescriptor<>("highest-seq-by-producer", Types.STRING, Types.LONG);
    // Expired marks are dropped when read; no background sweep on every access (it cost more than
    // the lookup). Memory stays bounded because closing a run, stalled ones too, clears its marks.
    seenDescriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(dedupTtl).disableCleanupInBackground().build());
    seen = getRuntimeContext().getMapState(seenDescriptor);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicates_dropped");
    targetModels = new HashMap<>();
    scorer = new EpochScorer(MetricCalculator.withDefaults());
    epochsScored = getRuntimeContext().getMetricGroup().counter("epochs_scored");
    epochsRejected = getRuntimeContext().getMetricGroup().counter("epochs_rejected");
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    closedRunsState = context.getOperatorStateStore().getUnionListState(CLOSED_RUNS);
    closedRuns = new LinkedHashMap<>();
    for (Tuple2<String, Long> closed : closedRunsState.get()) {
      rememberClosed(closed.f0, closed.f1);
    }
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    List<Tuple2<String, Long>> entries = new ArrayList<>(closedRuns.size());
    closedRuns.forEach((runId, closedAt) -> entries.add(Tuple2.of(runId, closedAt)));
    closedRunsState.update(entries);
  }

  @Override
  public void processElement(InputEvent event, ReadOnlyContext ctx, Collector<MetricRecord> out)
      throws Exception {
    RunState run = runs.value();
    if (run == null) {
      Long closedAt = closedRuns.get(ctx.getCurrentKey());
      if (closedAt != null) {
        reject(
            letter -> ctx.output(deadLetters, letter),
            event,
            event.shots != null ? event.shots : event.run,
            new Rejection(
                ErrorType.RUN_CLOSED,
                "run "
                    + ctx.getCurrentKey()
                    + " was closed at "
                    + Instant.ofEpochMilli(closedAt)
                    + " (finished with every announced epoch scored, timed out or stalled);"
                    + " events after its end are not scored"));
        return;
      }
      run = new RunState();
    }
    if (isDuplicate(event)) {
      duplicates.inc();
      return;
    }
    watchForStall(run, ctx);
    Consumer<DeadLetter> dlq = letter -> ctx.output(deadLetters, letter);
    RunStarted start = run.started;
    TargetDistribution target =
        start == null ? null : ctx.getBroadcastState(TARGETS).get(start.getTargetId());
    boolean open = true;
    if (event.shots != null) {
      if (target == null) {
        buffer(run, event, dlq);
        armDeadline(run, ctx);
      } else {
        score(run, event, event.shots, target, dlq, out);
        open = !closeIfComplete(run, ctx.getCurrentKey(), out, ctx);
      }
    } else if (event.run.getPayload() instanceof RunStarted newStart) {
      run.started = newStart;
      open =
          !flushPending(
              run,
              ctx.getCurrentKey(),
              ctx.getBroadcastState(TARGETS).get(newStart.getTargetId()),
              dlq,
              out,
              ctx);
    } else if (event.run.getPayload() instanceof RunFinished end) {
      run.finished = end;
      open = !closeIfComplete(run, ctx.getCurrentKey(), out, ctx);
      if (open) {
        armDeadline(run, ctx);
      }
    }
    if (open) {
      runs.update(run);
    }
  }

  @Override
  public void processBroadcastElement(InputEvent event, Context ctx, Collector<MetricRecord> out)
      throws Exception {
    TargetDistribution target = event.target;
    ctx.getBroadcastState(TARGETS).put(target.getTargetId(), target);
    Consumer<DeadLetter> dlq = letter -> ctx.output(deadLetters, letter);
    // Flink copies the key set before applying, so flushing (which clears state) is safe here.
    ctx.applyToKeyedState(
        RUN,
        (runId, state) -> {
          RunState run = runs.value();
          if (run != null
              && run.pending > 0
              && run.started != null
              && run.started.getTargetId().equals(target.getTargetId())
              && !flushPending(run, runId, target, dlq, out, null)) {
            runs.update(run);
          }
        });
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out)
      throws Exception {
    RunState run = runs.value();
    if (run == null) {
      return;
    }
    if (run.pendingDeadline == timestamp) {
      run.pendingDeadline = RunState.NONE;
      String waitingFor =
          run.started == null ? "its run-start event" : "target " + run.started.getTargetId();
      rejectPending(
          run,
          letter -> ctx.output(deadLetters, letter),
          new Rejection(
              ErrorType.PENDING_TIMEOUT,
              "waited "
                  + pendingTimeoutMs
                  + " ms for "
                  + waitingFor
                  + "; the epoch could not be scored"));
      if (run.finished != null) {
        deleteTimers(run, ctx.timerService());
        closeRun(run, ctx.getCurrentKey(), out);
        return;
      }
    }
    if (run.stallCheck == timestamp) {
      run.stallCheck = RunState.NONE;
      // Every event sets lastSeen before it can arm this check.
      long silentSince = run.lastSeen;
      if (timestamp - silentSince >= stallTimeoutMs) {
        ctx.output(ALERTS, stalledAlert(run, ctx.getCurrentKey(), silentSince, timestamp));
        rejectPending(
            run,
            letter -> ctx.output(deadLetters, letter),
            new Rejection(
                ErrorType.RUN_STALLED, "run went silent before this epoch could be scored"));
        deleteTimers(run, ctx.timerService());
        closeRun(run, ctx.getCurrentKey(), out);
        return;
      }
      long next = silentSince + stallTimeoutMs;
      ctx.timerService().registerProcessingTimeTimer(next);
      run.stallCheck = next;
    }
    runs.update(run);
  }

  /**
   * A producer numbers a run's events in order and Kafka keeps each topic partition in order, so an
   * event whose sequence number is not above the highest seen from its producer on its topic is a
   * repeat. One high-water mark per (producer, topic) keeps this state tiny.
   */
  private boolean isDuplicate(InputEvent event) throws Exception {
    String key =
        event.shots != null
            ? event.shots.getProducerId() + "/shots"
            : event.run.getProducerId() + "/runs";
    long seq = event.shots != null ? event.shots.getSeq() : event.run.getSeq();
    Long highest = seen.get(key);
    if (highest != null && seq <= highest) {
      return true;
    }
    seen.put(key, seq);
    return false;
  }

  private void watchForStall(RunState run, ReadOnlyContext ctx) {
    long now = ctx.timerService().currentProcessingTime();
    run.lastSeen = now;
    if (run.stallCheck == RunState.NONE) {
      long due = now + stallTimeoutMs;
      ctx.timerService().registerProcessingTimeTimer(due);
      run.stallCheck = due;
    }
  }

  private Alert stalledAlert(RunState run, String runId, long silentSince, long now) {
    RunSummary sum = run.summary;
    int epoch = sum == null ? 0 : sum.lastEpoch();
    return Alert.newBuilder()
        .setAlertId(runId + "/" + STALLED + "/" + silentSince)
        .setRunId(runId)
        .setDetector(STALLED)
        .setMetric("events")
        .setState(AlertState.FIRING)
        .setSeverity(Severity.WARNING)
        .setValue(now - silentSince)
        .setThreshold(stallTimeoutMs)
        .setEpoch(epoch)
        .setEventTime(Instant.ofEpochMilli(now))
        .setReason(
            "no event for "
                + (now - silentSince)
                + " ms after epoch "
                + epoch
                + " (job.stall-timeout-ms = "
                + stallTimeoutMs
                + "); the run is closed as stalled")
        .build();
  }

  private void buffer(RunState run, InputEvent event, Consumer<DeadLetter> dlq) throws Exception {
    int count = run.pending;
    if (count >= maxPending) {
      reject(
          dlq,
          event,
          event.shots,
          new Rejection(
              ErrorType.PENDING_OVERFLOW,
              "run "
                  + event.shots.getRunId()
                  + " already has "
                  + count
                  + " epochs waiting for its start event or target; limit is"
                  + " job.max-pending-shots = "
                  + maxPending));
      return;
    }
    pending.add(event.shots);
    run.pending = count + 1;
  }

  private void armDeadline(RunState run, ReadOnlyContext ctx) {
    if (run.pendingDeadline == RunState.NONE) {
      long due = ctx.timerService().currentProcessingTime() + pendingTimeoutMs;
      ctx.timerService().registerProcessingTimeTimer(due);
      run.pendingDeadline = due;
    }
  }

  /**
   * Scores what waited for the run's start or target, once both are known.
   *
   * @return true when that completed the run, which is then closed and its state gone
   */
  private boolean flushPending(
      RunState run,
      String runId,
      TargetDistribution target,
      Consumer<DeadLetter> dlq,
      Collector<MetricRecord> out,
      ReadOnlyContext timers)
      throws Exception {
    if (target == null || run.pending == 0) {
      return false;
    }
    for (ShotCounts shots : pending.get()) {
      score(run, InputEvent.of(shots).from(Topics.SHOTS, -1, -1), shots, target, dlq, out);
    }
    pending.clear();
    run.pending = 0;
    return closeIfComplete(run, runId, out, timers);
  }

  private void score(
      RunState run,
      InputEvent source,
      ShotCounts shots,
      TargetDistribution target,
      Consumer<DeadLetter> dlq,
      Collector<MetricRecord> out)
      throws Exception {
    if (shots.getQubits() != target.getQubits()) {
      reject(
          dlq,
          source,
          shots,
          new Rejection(
              ErrorType.QUBITS_MISMATCH,
              "qubits "
                  + shots.getQubits()
                  + " does not match target "
                  + target.getTargetId()
                  + " over "
                  + target.getQubits()
                  + " qubits"));
      return;
    }
    if (run.summary != null
        && !run.summary.isEmpty()
        && shots.getEpoch() < run.summary.lastEpoch()) {
      reject(
          dlq,
          source,
          shots,
          new Rejection(
              ErrorType.EPOCH_BACKWARDS,
              "epoch "
                  + shots.getEpoch()
                  + " comes after epoch "
                  + run.summary.lastEpoch()
                  + " of this run was scored; a run's epochs must not go back"));
      return;
    }
    MetricRecord record = scorer.score(shots, modelOf(target), Instant.now());
    RunStarted start = run.started;
    if (start != null) {
      record.setExperiment(start.getExperiment());
      record.setConfigId(start.getConfigId());
    }
    out.collect(record);
    if (run.summary == null) {
      run.summary = new RunSummary();
    }
    run.summary.add(
        shots.getEpoch(),
        shots.getEventTime().toEpochMilli(),
        record.getMetrics(),
        shots.getQubits(),
        shots.getShots(),
        target.getTargetId());
    run.scored++;
    epochsScored.inc();
  }

  /**
   * Closes the run once its end has come and every epoch it announced has been scored.
   *
   * @param timers the keyed context whose timers to delete, or null where none is at hand (the
   *     broadcast side); a timer left behind finds no state and does nothing
   * @return true when the run was closed and its state cleared
   */
  private boolean closeIfComplete(
      RunState run, String runId, Collector<MetricRecord> out, ReadOnlyContext timers)
      throws Exception {
    if (run.finished == null || run.scored < run.finished.getEpochs() || run.pending > 0) {
      return false;
    }
    if (timers != null) {
      deleteTimers(run, timers.timerService());
    }
    closeRun(run, runId, out);
    return true;
  }

  private void deleteTimers(RunState run, org.apache.flink.streaming.api.TimerService timers) {
    if (run.pendingDeadline != RunState.NONE) {
      timers.deleteProcessingTimeTimer(run.pendingDeadline);
    }
    if (run.stallCheck != RunState.NONE) {
      timers.deleteProcessingTimeTimer(run.stallCheck);
    }
  }

  /** Emits the run's summary, if it scored anything, and clears every piece of its state. */
  private void closeRun(RunState run, String runId, Collector<MetricRecord> out) throws Exception {
    RunSummary sum = run.summary;
    if (sum != null && !sum.isEmpty()) {
      out.collect(summaryRecord(run, runId, sum));
    }
    runs.clear();
    pending.clear();
    seen.clear();
    rememberClosed(runId, System.currentTimeMillis());
  }

  private void rememberClosed(String runId, long closedAt) {
    closedRuns.put(runId, closedAt);
    if (closedRuns.size() > CLOSED_RUNS_REMEMBERED) {
      Iterator<String> oldest = closedRuns.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
  }

  private MetricRecord summaryRecord(RunState run, String runId, RunSummary sum) {
    RunStarted start = run.started;
    return MetricRecord.newBuilder()
        .setRecordId(runId + "/summary")
        .setRunId(runId)
        .setScope(MetricScope.RUN_SUMMARY)
        .setFirstEpoch(sum.firstEpoch())
        .setLastEpoch(sum.lastEpoch())
        .setEventTime(Instant.ofEpochMilli(sum.lastEventTimeMillis()))
        .setProcessedTime(Instant.now())
        .setTargetId(start == null ? sum.targetId() : start.getTargetId())
        .setQubits(sum.qubits())
        .setShots(sum.shots())
        .setMetrics(sum.values())
        .setNoiseFloors(Map.of())
        .setExperiment(start == null ? null : start.getExperiment())
        .setConfigId(start == null ? null : start.getConfigId())
        .build();
  }

  private void rejectPending(RunState run, Consumer<DeadLetter> dlq, Rejection rejection)
      throws Exception {
    if (run.pending == 0) {
      return;
    }
    for (ShotCounts shots : pending.get()) {
      reject(dlq, InputEvent.of(shots).from(Topics.SHOTS, -1, -1), shots, rejection);
    }
    pending.clear();
    run.pending = 0;
  }

  private void reject(
      Consumer<DeadLetter> dlq, InputEvent source, Object event, Rejection rejection) {
    dlq.accept(DeadLetters.rejected(source, event, rejection));
    epochsRejected.inc();
  }

  private TargetModel modelOf(TargetDistribution target) {
    CachedTarget cached = targetModels.get(target.getTargetId());
    if (cached == null || !cached.version().equals(target.getUpdatedTime())) {
      cached = new CachedTarget(target.getUpdatedTime(), EpochScorer.toTarget(target));
      targetModels.put(target.getTargetId(), cached);
    }
    return cached.model();
  }

  /** The produced type, for wiring. */
  public static TypeInformation<MetricRecord> producedType() {
    return new AvroTypeInfo<>(MetricRecord.class);
  }
}
