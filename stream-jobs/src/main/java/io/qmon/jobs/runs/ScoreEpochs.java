package io.qmon.jobs.runs;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.records.InputEventTypeInfo;
import io.qmon.jobs.score.EpochScorer;
import io.qmon.metrics.MetricCalculator;
import io.qmon.schemas.Alert;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.StateSnapshot;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.Topics;
import io.qmon.schemas.validation.ErrorType;
import io.qmon.schemas.validation.Rejection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
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
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.StreamingRuntimeContext;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink side of a run's life, keyed by run id: reads the run's keyed state, hands the input and
 * the current processing time to {@link RunLifecycle}, and applies its {@link Decisions} (outputs,
 * dead letters, timers, state). The decisions themselves live in the lifecycle, which has no Flink
 * import and is tested on its own.
 *
 * <p>Targets arrive on a broadcast stream from the compacted targets topic. The last {@value
 * #CLOSED_RUNS_REMEMBERED} closed run ids per subtask are kept as operator state.
 */
public final class ScoreEpochs
    extends KeyedBroadcastProcessFunction<String, InputEvent, InputEvent, MetricRecord>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(ScoreEpochs.class);

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

  /**
   * Shot events waiting for the run's start or target, each with the topic, partition and offset it
   * was read from (the {@link InputEvent} as the key-by delivered it), so a later refusal names
   * where the event can be found again.
   */
  private static final ListStateDescriptor<InputEvent> PENDING =
      new ListStateDescriptor<>("pending-shot-events", new InputEventTypeInfo());

  /** State snapshots waiting for the run's start or target, with where each was read. */
  private static final ListStateDescriptor<InputEvent> PENDING_STATES =
      new ListStateDescriptor<>("pending-state-events", new InputEventTypeInfo());

  /**
   * The waiting lists of versions before {@link #PENDING}: events only, no source position. Nothing
   * adds to them any more; they are read (first: they arrived before anything in the new lists) and
   * cleared so that events restored from such a savepoint or checkpoint are still scored or
   * refused, their dead letters with partition and offset -1. New names rather than new element
   * types under the old names, because Flink cannot restore a list state whose element serializer
   * changed incompatibly.
   */
  private static final ListStateDescriptor<ShotCounts> PENDING_WITHOUT_POSITIONS =
      new ListStateDescriptor<>("pending-shots", new AvroTypeInfo<>(ShotCounts.class));

  private static final ListStateDescriptor<StateSnapshot> PENDING_STATES_WITHOUT_POSITIONS =
      new ListStateDescriptor<>("pending-states", new AvroTypeInfo<>(StateSnapshot.class));

  /** Side output of alerts this function raises itself (stalled runs). */
  public static final OutputTag<Alert> ALERTS =
      new OutputTag<>("run-alerts", new AvroTypeInfo<>(Alert.class));

  /** Detector name of the stalled-run alert. */
  public static final String STALLED = RunLifecycle.STALLED;

  private final OutputTag<DeadLetter> deadLetters;
  private final RunSettings settings;
  private final Duration dedupTtl;

  private transient ValueState<RunState> runs;
  private transient ListState<InputEvent> pending;
  private transient ListState<InputEvent> pendingStates;
  private transient ListState<ShotCounts> pendingWithoutPositions;
  private transient ListState<StateSnapshot> pendingStatesWithoutPositions;
  private transient Pending pendingView;
  private transient MapState<String, Long> seen;
  private transient Counter duplicates;
  private transient Counter epochsScored;
  private transient Counter epochsRejected;
  private transient Counter scoringFailures;
  private transient ListState<Tuple2<String, Long>> closedRunsState;
  private transient ClosedRuns closedRuns;
  private transient RunLifecycle lifecycle;

  public ScoreEpochs(OutputTag<DeadLetter> deadLetters, RunSettings settings, Duration dedupTtl) {
    this.deadLetters = deadLetters;
    this.settings = settings;
    this.dedupTtl = dedupTtl;
  }

  @Override
  public void open(OpenContext openContext) {
    runs = getRuntimeContext().getState(RUN);
    // The waiting lists are read only when the lifecycle walks them (rarely: when waiting events
    // can be scored or must be refused), never for runs whose target is known.
    pending = getRuntimeContext().getListState(PENDING);
    pendingStates = getRuntimeContext().getListState(PENDING_STATES);
    pendingWithoutPositions = getRuntimeContext().getListState(PENDING_WITHOUT_POSITIONS);
    pendingStatesWithoutPositions =
        getRuntimeContext().getListState(PENDING_STATES_WITHOUT_POSITIONS);
    pendingView =
        new Pending() {
          @Override
          public Iterable<InputEvent> shots() {
            return () ->
                concat(
                    unchecked(pendingWithoutPositions::get),
                    shots -> InputEvent.of(shots).from(Topics.SHOTS, -1, -1),
                    unchecked(pending::get));
          }

          @Override
          public Iterable<InputEvent> states() {
            return () ->
                concat(
                    unchecked(pendingStatesWithoutPositions::get),
                    state -> InputEvent.of(state).from(Topics.STATES, -1, -1),
                    unchecked(pendingStates::get));
          }
        };
    MapStateDescriptor<String, Long> seenDescriptor =
        new MapStateDescriptor<>("highest-seq-by-producer", Types.STRING, Types.LONG);
    // Expired marks are dropped when read; no background sweep on every access (it cost more than
    // the lookup). Memory stays bounded because closing a run, stalled ones too, clears its marks.
    seenDescriptor.enableTimeToLive(
        StateTtlConfig.newBuilder(dedupTtl).disableCleanupInBackground().build());
    seen = getRuntimeContext().getMapState(seenDescriptor);
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicates_dropped");
    epochsScored = getRuntimeContext().getMetricGroup().counter("epochs_scored");
    epochsRejected = getRuntimeContext().getMetricGroup().counter("epochs_rejected");
    scoringFailures = getRuntimeContext().getMetricGroup().counter("scoring_failures");
    // The clock of this operator's timers, read when it opens: after a restore, run timeouts count
    // from here, not across the outage. Not checkpointed, on purpose.
    long openedAt =
        ((StreamingRuntimeContext) getRuntimeContext())
            .getProcessingTimeService()
            .getCurrentProcessingTime();
    lifecycle =
        new RunLifecycle(
            settings, new EpochScorer(MetricCalculator.withDefaults()), closedRuns, openedAt);
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    closedRunsState = context.getOperatorStateStore().getUnionListState(CLOSED_RUNS);
    closedRuns = new ClosedRuns(CLOSED_RUNS_REMEMBERED);
    for (Tuple2<String, Long> closed : closedRunsState.get()) {
      closedRuns.remember(closed.f0, closed.f1);
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
    ReadOnlyBroadcastState<String, TargetDistribution> targets = ctx.getBroadcastState(TARGETS);
    Consumer<DeadLetter> dlq = letter -> ctx.output(deadLetters, letter);
    long now = ctx.timerService().currentProcessingTime();
    Decisions d;
    try {
      d =
          lifecycle.onEvent(
              ctx.getCurrentKey(),
              runs.value(),
              event,
              seen.get(Dedup.key(event)),
              id -> unchecked(() -> targets.get(id)),
              pendingView,
              now);
    } catch (RuntimeException e) {
      d = failed(event, e, dlq, now);
    }
    apply(d, ctx.timerService(), out, dlq, ctx::output, now);
  }

  @Override
  public void processBroadcastElement(InputEvent event, Context ctx, Collector<MetricRecord> out)
      throws Exception {
    TargetDistribution target = event.target;
    ctx.getBroadcastState(TARGETS).put(target.getTargetId(), target);
    long now = ctx.currentProcessingTime();
    Consumer<DeadLetter> dlq = letter -> ctx.output(deadLetters, letter);
    // Flink copies the key set before applying, so closing a run (which clears state) is safe.
    // No timer service here: timers a closed run leaves behind find no state and do nothing.
    ctx.applyToKeyedState(
        RUN,
        (runId, state) -> {
          RunState run = state.value();
          if (run != null && (run.pending > 0 || run.pendingStates > 0)) {
            Decisions d;
            try {
              d = lifecycle.onTarget(runId, run, target, pendingView, now);
            } catch (RuntimeException e) {
              d = failed(event, e, dlq, now);
            }
            apply(d, null, out, dlq, null, now);
          }
        });
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<MetricRecord> out)
      throws Exception {
    ReadOnlyBroadcastState<String, TargetDistribution> targets = ctx.getBroadcastState(TARGETS);
    Consumer<DeadLetter> dlq = letter -> ctx.output(deadLetters, letter);
    long now = ctx.timerService().currentProcessingTime();
    Decisions d;
    try {
      d =
          lifecycle.onTimer(
              ctx.getCurrentKey(),
              runs.value(),
              timestamp,
              now,
              id -> unchecked(() -> targets.get(id)),
              pendingView);
    } catch (RuntimeException e) {
      LOG.warn(
          "Run {}: its timer at {} failed; the run is kept", ctx.getCurrentKey(), timestamp, e);
      scoringFailures.inc();
      d = lifecycle.recover(runs.value());
    }
    apply(d, ctx.timerService(), out, dlq, ctx::output, now);
  }

  /**
   * The operator's boundary: an exception while deciding for one event dead-letters that event as
   * {@code SCORING_FAILED} with the exception's message, is counted and logged, and leaves the run
   * consistent ({@link RunLifecycle#recover}); it never fails the job, so one run's bad data cannot
   * restart monitoring for everyone. Failures of Flink itself (state access, outputs) still do.
   */
  private Decisions failed(InputEvent event, RuntimeException e, Consumer<DeadLetter> dlq, long now)
      throws Exception {
    LOG.warn("Scoring an event of run {} failed; it is dead-lettered", event.runId(), e);
    scoringFailures.inc();
    Object payload =
        event.shots != null
            ? event.shots
            : event.state != null ? event.state : event.run != null ? event.run : event.target;
    dlq.accept(
        DeadLetters.rejected(
            event,
            payload,
            new Rejection(
                ErrorType.SCORING_FAILED,
                "processing the event failed: "
                    + e.getClass().getSimpleName()
                    + ": "
                    + e.getMessage()),
            Instant.ofEpochMilli(now)));
    epochsRejected.inc();
    return lifecycle.recover(runs.value());
  }

  /** Applies the lifecycle's decisions; {@code timers} and {@code alerts} may be null. */
  private void apply(
      Decisions d,
      TimerService timers,
      Collector<MetricRecord> out,
      Consumer<DeadLetter> dlq,
      AlertOutput alerts,
      long now)
      throws Exception {
    for (MetricRecord record : d.records()) {
      out.collect(record);
    }
    for (Decisions.Refusal refusal : d.refusals()) {
      dlq.accept(
          DeadLetters.rejected(
              refusal.source(), refusal.payload(), refusal.rejection(), Instant.ofEpochMilli(now)));
      epochsRejected.inc();
      if (refusal.rejection().type() == ErrorType.SCORING_FAILED) {
        scoringFailures.inc();
      }
    }
    if (alerts != null) {
      for (Alert alert : d.alerts()) {
        alerts.output(ALERTS, alert);
      }
    }
    if (d.isDuplicate()) {
      duplicates.inc();
    }
    epochsScored.inc(d.epochsScored());
    if (timers != null) {
      for (int i = 0; i < d.timersToCancel(); i++) {
        timers.deleteProcessingTimeTimer(d.timerToCancel(i));
      }
      for (int i = 0; i < d.timersToArm(); i++) {
        timers.registerProcessingTimeTimer(d.timerToArm(i));
      }
    }
    switch (d.state()) {
      case UPDATE -> {
        if (d.markKey() != null) {
          seen.put(d.markKey(), d.markSeq());
        }
        if (d.clearsPending()) {
          clearPending();
        }
        if (d.toPend() != null) {
          pending.add(d.toPend());
        }
        if (d.stateToPend() != null) {
          pendingStates.add(d.stateToPend());
        }
        runs.update(d.run());
      }
      case CLEAR -> {
        runs.clear();
        clearPending();
        seen.clear();
      }
      case KEEP -> {}
    }
  }

  private void clearPending() {
    pending.clear();
    pendingStates.clear();
    pendingWithoutPositions.clear();
    pendingStatesWithoutPositions.clear();
  }

  /** The side-output method of the keyed contexts. */
  @FunctionalInterface
  private interface AlertOutput {
    void output(OutputTag<Alert> tag, Alert alert);
  }

  @FunctionalInterface
  private interface StateRead<T> {
    T get() throws Exception;
  }

  /** State reads declare Exception; inside the lifecycle's callbacks they fail the task as-is. */
  private static <T> T unchecked(StateRead<T> read) {
    try {
      return read.get();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("reading keyed state failed", e);
    }
  }

  /** The produced type, for wiring. */
  public static TypeInformation<MetricRecord> producedType() {
    return new AvroTypeInfo<>(MetricRecord.class);
  }

  /**
   * The events of an old-layout list, given their unknown position, then those of the new list.
   * Some backends answer null for an empty list state.
   */
  private static <T> Iterator<InputEvent> concat(
      Iterable<T> withoutPositions,
      Function<T, InputEvent> positionUnknown,
      Iterable<InputEvent> withPositions) {
    Stream<InputEvent> restored =
        withoutPositions == null
            ? Stream.empty()
            : StreamSupport.stream(withoutPositions.spliterator(), false).map(positionUnknown);
    Stream<InputEvent> recent =
        withPositions == null
            ? Stream.empty()
            : StreamSupport.stream(withPositions.spliterator(), false);
    return Stream.concat(restored, recent).iterator();
  }
}
