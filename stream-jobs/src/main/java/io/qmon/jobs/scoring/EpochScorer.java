package io.qmon.jobs.scoring;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.metrics.Entropy;
import io.qmon.metrics.Fidelity;
import io.qmon.schemas.MetricNames;
import io.qmon.schemas.MetricRecord;
import io.qmon.schemas.MetricScope;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns one epoch's shot counts and its run's target into a metric record: the adapter between the
 * Avro events and the pure metric library. No Flink here, so it is tested on its own.
 */
public final class EpochScorer {
  private EpochScorer() {}

  /** The deterministic key of an epoch's metric record: replays produce the same id. */
  public static String recordId(ShotCounts shots) {
    String circuit = shots.getCircuit();
    return shots.getRunId()
        + "/epoch/"
        + shots.getEpoch()
        + (circuit == null ? "" : "/circuit/" + circuit);
  }

  /** Converts a target event to the metric library's distribution. */
  public static Distribution toDistribution(TargetDistribution target) {
    return Distribution.of(
        target.getQubits(), toLongs(target.getOutcomes()), toDoubles(target.getProbabilities()));
  }

  /** The generated distribution of one epoch: relative frequencies of its counts. */
  public static Distribution toDistribution(ShotCounts shots) {
    return Distribution.fromCounts(
        shots.getQubits(), toLongs(shots.getOutcomes()), toLongs(shots.getCounts()));
  }

  /** Scores one epoch against the target distribution P. */
  public static MetricRecord score(
      ShotCounts shots, String targetId, Distribution target, Instant processedTime) {
    Distribution generated = toDistribution(shots);
    Map<String, Double> metrics = new HashMap<>();
    metrics.put(MetricNames.JSD, Divergences.jensenShannon(target, generated));
    metrics.put(MetricNames.FIDELITY, Fidelity.classical(target, generated));
    metrics.put(MetricNames.ENTROPY_BITS, Entropy.shannonBits(generated));
    metrics.put(MetricNames.ENTROPY_NORMALISED, Entropy.normalised(generated));
    metrics.put(MetricNames.SUPPORT, (double) generated.support());
    return MetricRecord.newBuilder()
        .setRecordId(recordId(shots))
        .setRunId(shots.getRunId())
        .setScope(MetricScope.EPOCH)
        .setFirstEpoch(shots.getEpoch())
        .setLastEpoch(shots.getEpoch())
        .setEventTime(shots.getEventTime())
        .setProcessedTime(processedTime)
        .setTargetId(targetId)
        .setQubits(shots.getQubits())
        .setShots(shots.getShots())
        .setMetrics(metrics)
        .setNoiseFloors(Map.of())
        .build();
  }

  private static long[] toLongs(List<Long> values) {
    long[] out = new long[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static double[] toDoubles(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }
}
