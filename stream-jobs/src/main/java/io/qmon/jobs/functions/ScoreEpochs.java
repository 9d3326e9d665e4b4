package io.qmon.jobs.functions;

import io.qmon.jobs.records.DeadLetters;
import io.qmon.jobs.records.InputEvent;
import io.qmon.jobs.scoring.EpochScorer;
import io.qmon.metrics.Distribution;
import io.qmon.schemas.DeadLetter;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.Rejection;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
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
 * <p>Targets arrive on a broadcast stream from the compacted targets topic. A run's shot events can
 * overtake its start event or its target; they wait in keyed state (at most {@code maxPending} per
 * run) and are scored as soon as both are known. When the run finishes, its state is cleared, and
 * anything still waiting is dead-lettered with the reason it could not be scored.
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
  private static final ListStateDescriptor<ShotCounts> PENDING =
      new ListStateDescriptor<>("pending-shots", new AvroTypeInfo<>(ShotCounts.class));
  private static final ValueStateDescriptor<Integer> PENDING_COUNT =
      new ValueStateDescriptor<>("pending-count", Types.INT);

  private final OutputTag<DeadLetter> deadLetters;
  private final int maxPending;

  private transient ValueState<RunStarted> started;
  private transient ListState<ShotCounts> pending;
  private transient ValueState<Integer> pendingCount;
  private transient Map<String, CachedTarget> distributions;
  private transient Counter scored;
  private transient Counter rejected;

  /** A target converted once to the metric library's form, valid while its version is current. */
  private record CachedTarget(Instant version, Distribution distribution) {}

  public ScoreEpochs(OutputTag<DeadLetter> deadLetters, int maxPending) {
    this.deadLetters = deadLetters;
    this.maxPending = maxPending;
  }

  @Override
  public void open(OpenContext openContext) {
    started = getRuntimeContext().getState(STARTED);
    pending = getRuntimeContext().getListState(PENDING);
    pendingCount = getRuntimeContext().getState(PENDING_COUNT);
    distributions = new HashMap<>();
    scored = getRuntimeContext().getMetricGroup().counter("epochs_scored");
    rejected = getRuntimeContext().getMetricGroup().counter("epochs_rejected");
  }

  @Override
  public void processElement(InputEvent event, ReadOnlyContext ctx, Collector<MetricRecord> out)
      throws Exception {
    ReadOnlyBroadcastState<String, TargetDistribution> targets = ctx.getBroadcastState(TARGETS);
    if (event.shots != null) {
      onShots(event, targets.get(targetIdOrNull()), letter -> ctx.output(deadLetters, letter), out);
    } else if (event.run != null && event.run.getPayload() instanceof RunStarted start) {
      started.update(start);
      flushPending(
          targets.get(start.getTargetId()), letter -> ctx.output(deadLetters, letter), out);
    } else if (event.run != null && event.run.getPayload() instanceof RunFinished finished) {
      rejectPending(
          letter -> ctx.output(deadLetters, letter),
          new Rejection(
              "RUN_FINISHED_UNSCORED",
              "run finished ("
                  + finished.getStatus()
                  + ") before its "
                  + (started.value() == null ? "start event" : "target")
                  + " arrived; the epoch could not be scored"));
      started.clear();
    }
  }

  @Override
  public void processBroadcastElement(InputEvent event, Context ctx, Collector<MetricRecord> out)
      throws Exception {
    TargetDistribution target = event.target;
    BroadcastState<String, TargetDistribution> targets = ctx.getBroadcastState(TARGETS);
    targets.put(target.getTargetId(), target);
    // Flink copies the key set before applying, so flushing (which clears state) is safe here.
    ctx.applyToKeyedState(
        PENDING_COUNT,
        (runId, count) -> {
          RunStarted start = started.value();
          if (start != null && start.getTargetId().equals(target.getTargetId())) {
            flushPending(target, letter -> ctx.output(deadLetters, letter), out);
          }
        });
  }

  private String targetIdOrNull() throws Exception {
    RunStarted start = started.value();
    return start == null ? null : start.getTargetId();
  }

  private void onShots(
      InputEvent event,
      TargetDistribution target,
      Consumer<DeadLetter> dlq,
      Collector<MetricRecord> out)
      throws Exception {
    if (target == null) {
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
                    + " epochs waiting for its "
                    + (started.value() == null ? "start event" : "target")
                    + "; limit is job.max-pending-shots = "
                    + maxPending));
        return;
      }
      pending.add(event.shots);
      pendingCount.update(count + 1);
      return;
    }
    score(event, event.shots, target, dlq, out);
  }

  private void flushPending(
      TargetDistribution target, Consumer<DeadLetter> dlq, Collector<MetricRecord> out)
      throws Exception {
    if (target == null || pendingCount.value() == null) {
      return;
    }
    for (ShotCounts shots : pending.get()) {
      score(InputEvent.of(shots).from("qgm.shots", -1, -1), shots, target, dlq, out);
    }
    pending.clear();
    pendingCount.clear();
  }

  private void score(
      InputEvent source,
      ShotCounts shots,
      TargetDistribution target,
      Consumer<DeadLetter> dlq,
      Collector<MetricRecord> out) {
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
    out.collect(
        EpochScorer.score(shots, target.getTargetId(), distributionOf(target), Instant.now()));
    scored.inc();
  }

  private void rejectPending(Consumer<DeadLetter> dlq, Rejection rejection) throws Exception {
    if (pendingCount.value() == null) {
      return;
    }
    for (ShotCounts shots : pending.get()) {
      reject(dlq, InputEvent.of(shots).from("qgm.shots", -1, -1), shots, rejection);
    }
    pending.clear();
    pendingCount.clear();
  }

  private void reject(
      Consumer<DeadLetter> dlq, InputEvent source, Object event, Rejection rejection) {
    dlq.accept(DeadLetters.rejected(source, event, rejection));
    rejected.inc();
  }

  private Distribution distributionOf(TargetDistribution target) {
    CachedTarget cached = distributions.get(target.getTargetId());
    if (cached == null || !cached.version().equals(target.getUpdatedTime())) {
      cached = new CachedTarget(target.getUpdatedTime(), EpochScorer.toDistribution(target));
      distributions.put(target.getTargetId(), cached);
    }
    return cached.distribution();
  }

  /** The produced type, for wiring. */
  public static TypeInformation<MetricRecord> producedType() {
    return new AvroTypeInfo<>(MetricRecord.class);
  }
}
