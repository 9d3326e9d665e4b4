package io.qmon.jobs.score;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.MetricCalculator;
import io.qmon.metrics.MetricNames;
import io.qmon.metrics.MetricSet;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.ValueMapping;
import io.qmon.metrics.noise.Floor;
import io.qmon.metrics.shift.RecentCounts;
import io.qmon.metrics.targets.ExplicitTarget;
import io.qmon.schemas.LongArrayList;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one epoch's shot counts and its run's target into a metric record: the adapter between the
 * Avro events and the metric library's {@link MetricCalculator}. No Flink here.
 *
 * <p>The record's {@code metrics} hold every value of the {@link MetricSet} plus {@value #SUPPORT}
 * (distinct outcomes seen); {@code noise_floors} hold, for each divergence, the upper quantile of
 * its shot-noise floor under the metric's name and the floor's expected value under {@code
 * <name>_expected}. Each entry of the event's {@code losses} map (the producer's own scalars: a
 * qGAN's generator and discriminator losses, an optimizer's loss) is reported in {@code metrics} as
 * {@code loss.<name>} ({@link MetricNames#LOSS_PREFIX}). Given the run's {@link RecentCounts}, it
 * also reports {@link MetricNames#WINDOW_SHIFT}, the epoch's G-test against the run's recent
 * counts.
 */
public final class EpochScorer {
  /** Metric key of the number of distinct outcomes in the epoch. */
  public static final String SUPPORT = "support";

  /** Suffix of the expected shot-noise floor in {@code noise_floors}. */
  public static final String EXPECTED_SUFFIX = "_expected";

  /** Map capacities that hold every metric and floor without rehashing. */
  private static final int METRICS_CAPACITY = 32;

  private static final int FLOORS_CAPACITY = 16;

  private static final String[] FLOORED = MetricNames.WITH_FLOOR.toArray(String[]::new);
  private static final String[] FLOORED_EXPECTED =
      MetricNames.WITH_FLOOR.stream().map(name -> name + EXPECTED_SUFFIX).toArray(String[]::new);

  /**
   * Prefixed loss names are few per job: kept, up to this many, instead of concatenated per event.
   */
  private static final int MAX_CACHED_LOSS_NAMES = 4096;

  private final MetricCalculator calculator;
  private final Map<String, String> lossNames = new HashMap<>();

  public EpochScorer(MetricCalculator calculator) {
    this.calculator = calculator;
  }

  /** The deterministic key of an epoch's metric record: replays produce the same id. */
  public static String recordId(ShotCounts shots) {
    String circuit = shots.getCircuit();
    return shots.getRunId()
        + "/epoch/"
        + shots.getEpoch()
        + (circuit == null ? "" : "/circuit/" + circuit);
  }

  /** Converts a target event to the metric library's target, with its value mapping if any. */
  public static TargetModel toTarget(TargetDistribution target) {
    Distribution distribution =
        Distribution.of(
            target.getQubits(),
            LongArrayList.toArray(target.getOutcomes()),
            toDoubles(target.getProbabilities()));
    if (target.getLow() != null && target.getHigh() != null) {
      return ExplicitTarget.of(
          target.getTargetId(),
          distribution,
          ValueMapping.linear(target.getQubits(), target.getLow(), target.getHigh()));
    }
    return ExplicitTarget.of(target.getTargetId(), distribution);
  }

  /** Scores one epoch against its run's target, with no window of recent counts. */
  public MetricRecord score(ShotCounts shots, TargetModel target, Instant processedTime) {
    return score(shots, target, processedTime, null);
  }

  /**
   * Scores one epoch against its run's target and, when {@code recent} is given and the epoch is
   * not one circuit's part of it, against the run's recent counts ({@value
   * MetricNames#WINDOW_SHIFT}, then the epoch joins {@code recent}). What can fail runs before
   * {@code recent} changes.
   */
  public MetricRecord score(
      ShotCounts shots, TargetModel target, Instant processedTime, RecentCounts recent) {
    long[] counts = LongArrayList.toArray(shots.getCounts());
    long[] outcomes = LongArrayList.toArray(shots.getOutcomes());
    MetricSet set = calculator.compute(target, outcomes, counts);
    Map<String, Double> losses = shots.getLosses();
    Map<String, Double> metrics =
        new HashMap<>(losses.isEmpty() ? METRICS_CAPACITY : METRICS_CAPACITY + 2 * losses.size());
    set.putValues(metrics);
    metrics.put(SUPPORT, (double) nonZero(counts));
    if (recent != null && shots.getCircuit() == null) {
      double shift = recent.shift(outcomes, counts, shots.getQubits(), target);
      if (!Double.isNaN(shift)) {
        metrics.put(MetricNames.WINDOW_SHIFT, shift);
      }
      double towardsUniform = recent.uniformShift();
      if (!Double.isNaN(towardsUniform)) {
        metrics.put(MetricNames.WINDOW_SHIFT_UNIFORM, towardsUniform);
        metrics.put(MetricNames.WINDOW_SHIFT_UNIFORM_SHARE, recent.uniformShare());
        double towardsTarget = recent.targetShift();
        if (!Double.isNaN(towardsTarget)) {
          metrics.put(MetricNames.WINDOW_SHIFT_TARGET, towardsTarget);
        }
      }
    }
    if (!losses.isEmpty()) {
      for (Map.Entry<String, Double> loss : losses.entrySet()) {
        metrics.put(lossName(loss.getKey()), loss.getValue());
      }
    }
    Map<String, Double> floors = new HashMap<>(FLOORS_CAPACITY);
    for (int i = 0; i < FLOORED.length; i++) {
      Optional<Floor> floor = set.floor(FLOORED[i]);
      if (floor.isPresent()) {
        floors.put(FLOORED[i], floor.get().upper());
        floors.put(FLOORED_EXPECTED[i], floor.get().mean());
      }
    }
    // The all-fields constructor: the builder would validate and deep-copy every field again.
    return new MetricRecord(
        recordId(shots),
        shots.getRunId(),
        MetricScope.EPOCH,
        shots.getEpoch(),
        shots.getEpoch(),
        shots.getEventTime(),
        processedTime,
        target.id(),
        shots.getQubits(),
        shots.getShots(),
        metrics,
        floors,
        null,
        null,
        Map.of(),
        Map.of(),
        null,
        null,
        null,
        Map.of());
  }

  private String lossName(String name) {
    String prefixed = lossNames.get(name);
    if (prefixed == null) {
      prefixed = MetricNames.LOSS_PREFIX + name;
      if (lossNames.size() < MAX_CACHED_LOSS_NAMES) {
        lossNames.put(name, prefixed);
      }
    }
    return prefixed;
  }

  private static int nonZero(long[] counts) {
    int n = 0;
    for (long c : counts) {
      if (c > 0) {
        n++;
      }
    }
    return n;
  }

  private static double[] toDoubles(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
