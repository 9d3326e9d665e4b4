package io.qmon.producers.worker;

import io.qmon.metrics.Distribution;
import io.qmon.producers.train.Target;
import io.qmon.schemas.TargetDistribution;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Turns training targets into {@code qgm.targets} events. */
public final class TargetEvents {
  private TargetEvents() {}

  /** Target id of {@link Target#standardNormal(int)} on n qubits. */
  public static String standardNormalId(int qubits) {
    return "normal-0-1-q" + qubits;
  }

  /** The target as an event, carrying its value mapping so W1 and KS can be computed. */
  public static TargetDistribution toEvent(String targetId, Target target) {
    Distribution d = target.distribution();
    List<Long> outcomes = new ArrayList<>(d.support());
    List<Double> probabilities = new ArrayList<>(d.support());
    for (int i = 0; i < d.support(); i++) {
      outcomes.add(d.outcome(i));
      probabilities.add(d.probability(i));
    }
    return TargetDistribution.newBuilder()
        .setTargetId(targetId)
        .setQubits(target.qubits())
        .setDescription(target.name())
        .setOutcomes(outcomes)
        .setProbabilities(probabilities)
        .setLow(target.low())
        .setHigh(target.high())
        .setUpdatedTime(Instant.now())
        .build();
  }
}
