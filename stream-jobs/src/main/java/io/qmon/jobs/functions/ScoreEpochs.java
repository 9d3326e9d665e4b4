package io.qmon.jobs.functions;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.scoring.EpochScorer;
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
import io.qmon.schemas.validation.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
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
 */
public final class ScoreEpochs
    extends KeyedBroadcastProcessFunction<String, InputEvent, InputEvent, MetricRecord> {
  private static final long serialVersionUID = 1L;

  /** Broadcast state: target id to target. */
  public static final MapStateDescriptor<String, TargetDistribution> TARGETS =
      new MapStateDescriptor<>(
          "targets", Types.STRING, new AvroTypeInfo<>(TargetDistribution.class));

  private static final ValueStateDescriptor<RunStarted> STARTED =
      new ValueStateDescriptor<>("run-started", new AvroTypeInfo<>(RunStarted.class));
  private static final ValueStateDescriptor<RunFinished> FINISHED =
      new ValueStateDescriptor<>("run-finished", new AvroTypeInfo<>(RunFinished.class));
  private static final ListStateDescriptor<ShotCounts> PENDING =
      new ListStateDescriptor<>("pending-shots", new AvroTypeInfo<>(ShotCounts.class));
  private static final ValueStateDescriptor<Integer> PENDING_COUNT =
      new ValueStateDescriptor<>("pending-count", Types.INT);
  private static final ValueStateDescriptor<Integer> SCORED =
      new ValueStateDescriptor<>("scored-epochs", Types.INT);
  private static final ValueStateDescriptor<Long> DEADLINE =
      new ValueStateDescriptor<>("deadline", Types.LONG);
  private static final ValueStateDescriptor<Long> LAST_SEEN =
      new ValueStateDescriptor<>("last-seen", Types.LONG);
  private static final ValueStateDescriptor<Long> STALL_CHECK =
      new ValueStateDescriptor<>("stall-check", Types.LONG);
  private static final ValueStateDescriptor<RunSummary> SUMMARY =
      new ValueStateDescriptor<>("summary", TypeInformation.of(RunSummary.class));

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

  private transient ValueState<RunStarted> started;
  private transient ValueState<RunFinished> finished;
  private transient ListState<ShotCounts> pending;
  private transient ValueState<Integer> pendingCount;
  private transient ValueState<Integer> scored;
  private transient ValueState<Long> deadline;
  private transient ValueState<Long> lastSeen;
  private transient ValueState<Long> stallCheck;
  private transient ValueState<RunSummary> summary;
  private transient MapState<String, Long> seen;
  private transient Counter duplicates;
  private transient Map<String, CachedTarget> targetModels;
  private transient EpochScorer scorer;
  private transient Counter epochsScored;
  private transient Counter epochsRejected;

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
    started = getRuntimeContext().getState(STARTED);
    finished = getRuntimeContext().getState(FINISHED);
    pending = getRuntimeContext().getListState(PENDING);
    pendingCount = getRuntimeContext().getState(PENDING_COUNT);
    scored = getRuntimeContext().getState(SCORED);
    deadline = getRuntimeContext().getState(DEADLINE);
    lastSeen = getRuntimeContext().getState(LAST_SEEN);
    stallCheck = getRuntimeContext().getState(STALL_CHECK);
    summary = getRuntimeContext().getState(SUMMARY);
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
  public void processElement(InputEvent event, ReadOnlyContext ctx, Collector<MetricRecord> out)
      throws Exception {
    if (isDuplicate(event)) {
      duplicates.inc();
      return;
    }
    watchForStall(ctx);
    Consumer<DeadLetter> dlq = letter -> ctx.output(deadLetters, letter);
    RunStarted start = started.value();
    TargetDistribution target =
        start == null ? null : ctx.getBroadcastState(TARGETS).get(start.getTargetId());
    if (event.shots != null) {
      if (target == null) {
        buffer(event, dlq);
        armDeadline(ctx);
      } else {
        score(event, event.shots, target, dlq, out);
        closeIfComplete(ctx.getCurrentKey(), out, ctx);
      }
    } else if (event.run.getPayload() instanceof RunStarted newStart) {
      started.update(newStart);
      flushPending(
          ctx.getCurrentKey(),
          ctx.getBroadcastState(TARGETS).get(newStart.getTargetId()),
          dlq,
          out);
    } else if (event.run.getPayload() instanceof RunFinished end) {
      finished.update(end);
      if (!closeIfComplete(ctx.getCurrentKey(), out, ctx)) {
        armDeadline(ctx);
      }
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
        PENDING_COUNT,
        (runId, count) -> {
          RunStarted start = started.value();
          if (start != null && start.getTargetId().equals(target.getTargetId())) {
            flushPending(runId, target, dlq, out);
          }
        });
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out)
      throws Exception {
    Long due = deadline.value();
    if (due != null && due == timestamp) {
      deadline.clear();
      RunStarted start = started.value();
      String waitingFor = start == null ? "its run-start event" : "target " + start.getTargetId();
      rejectPending(
          letter -> ctx.output(deadLetters, letter),
          new Rejection(
              "PENDING_TIMEOUT",
              "waited "
                  + pendingTimeoutMs
                  + " ms for "
                  + waitingFor
                  + "; the epoch could not be scored"));
      if (finished.value() != null) {
        deleteTimers(ctx.timerService());
        closeRun(ctx.getCurrentKey(), out);
        return;
      }
    }
    Long check = stallCheck.value();
    if (check != null && check == timestamp) {
      stallCheck.clear();
      long silentSince = lastSeen.value() == null ? timestamp : lastSeen.value();
      if (timestamp - silentSince >= stallTimeoutMs) {
        ctx.output(ALERTS, stalledAlert(ctx.getCurrentKey(), silentSince, timestamp));
        rejectPending(
            letter -> ctx.output(deadLetters, letter),
            new Rejection("RUN_STALLED", "run went silent before this epoch could be scored"));
        deleteTimers(ctx.timerService());
        closeRun(ctx.getCurrentKey(), out);
      } else {
        long next = silentSince + stallTimeoutMs;
        ctx.timerService().registerProcessingTimeTimer(next);
        stallCheck.update(next);
      }
    }
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

  private void watchForStall(ReadOnlyContext ctx) throws Exception {
    long now = ctx.timerService().currentProcessingTime();
    lastSeen.update(now);
    if (stallCheck.value() == null) {
      long due = now + stallTimeoutMs;
      ctx.timerService().registerProcessingTimeTimer(due);
      stallCheck.update(due);
    }
  }

  private Alert stalledAlert(String runId, long silentSince, long now) throws Exception {
    RunSummary sum = summary.value();
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

  private void buffer(InputEvent event, Consumer<DeadLetter> dlq) throws Exception {
    int count = pendingCount.value() == null ? 0 : pendingCount.value();
    if (count >= maxPending) {
      reject(
          dlq,
          event,
          event.shots,
          new Rejection(
              "PENDING_OVERFLOW",
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
    pendingCount.update(count + 1);
  }

  private void armDeadline(ReadOnlyContext ctx) throws Exception {
    if (deadline.value() == null) {
      long due = ctx.timerService().currentProcessingTime() + pendingTimeoutMs;
      ctx.timerService().registerProcessingTimeTimer(due);
      deadline.update(due);
    }
  }

  private void flushPending(
      String runId,
      TargetDistribution target,
      Consumer<DeadLetter> dlq,
      Collector<MetricRecord> out)
      throws Exception {
    if (target == null || pendingCount.value() == null) {
      return;
    }
    for (ShotCounts shots : pending.get()) {
      score(InputEvent.of(shots).from(Topics.SHOTS, -1, -1), shots, target, dlq, out);
    }
    pending.clear();
    pendingCount.clear();
    closeIfComplete(runId, out, null);
  }

  private void score(
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
              "QUBITS_MISMATCH",
              "qubits "
                  + shots.getQubits()
                  + " does not match target "
                  + target.getTargetId()
                  + " over "
                  + target.getQubits()
                  + " qubits"));
      return;
    }
    MetricRecord record = scorer.score(shots, modelOf(target), Instant.now());
    RunStarted start = started.value();
    if (start != null) {
      record.setExperiment(start.getExperiment());
      record.setConfigId(start.getConfigId());
    }
    out.collect(record);
    RunSummary sum = summary.value() == null ? new RunSummary() : summary.value();
    sum.add(
        shots.getEpoch(),
        shots.getEventTime().toEpochMilli(),
        record.getMetrics(),
        shots.getQubits(),
        shots.getShots(),
        target.getTargetId());
    summary.update(sum);
    scored.update(scored.value() == null ? 1 : scored.value() + 1);
    epochsScored.inc();
  }

  /**
   * Closes the run once its end has come and every epoch it announced has been scored.
   *
   * @param timers the keyed context whose timers to delete, or null where none is at hand (the
   *     broadcast side); a timer left behind finds no state and does nothing
   */
  private boolean closeIfComplete(String runId, Collector<MetricRecord> out, ReadOnlyContext timers)
      throws Exception {
    RunFinished end = finished.value();
    int done = scored.value() == null ? 0 : scored.value();
    if (end == null || done < end.getEpochs() || pendingCount.value() != null) {
      return false;
    }
    if (timers != null) {
      deleteTimers(timers.timerService());
    }
    closeRun(runId, out);
    return true;
  }

  private void deleteTimers(org.apache.flink.streaming.api.TimerService timers) throws Exception {
    if (deadline.value() != null) {
      timers.deleteProcessingTimeTimer(deadline.value());
    }
    if (stallCheck.value() != null) {
      timers.deleteProcessingTimeTimer(stallCheck.value());
    }
  }

  /** Emits the run's summary, if it scored anything, and clears every piece of its state. */
  private void closeRun(String runId, Collector<MetricRecord> out) throws Exception {
    RunSummary sum = summary.value();
    if (sum != null && !sum.isEmpty()) {
      out.collect(summaryRecord(runId, sum));
    }
    started.clear();
    finished.clear();
    pending.clear();
    pendingCount.clear();
    scored.clear();
    deadline.clear();
    lastSeen.clear();
    stallCheck.clear();
    summary.clear();
    seen.clear();
  }

  private MetricRecord summaryRecord(String runId, RunSummary sum) throws Exception {
    RunStarted start = started.value();
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

  private void rejectPending(Consumer<DeadLetter> dlq, Rejection rejection) throws Exception {
    if (pendingCount.value() == null) {
      return;
    }
    for (ShotCounts shots : pending.get()) {
      reject(dlq, InputEvent.of(shots).from(Topics.SHOTS, -1, -1), shots, rejection);
    }
    pending.clear();
    pendingCount.clear();
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
