package io.qmon.metrics.advice;

import java.util.OptionalInt;

/**
 * One piece of advice with its evidence.
 *
 * @param kind what was decided
 * @param epoch the epoch at which it was decided
 * @param sinceEpoch the first epoch of the evidence ({@code values})
 * @param metric the watched metric (jsd)
 * @param value the metric in {@code epoch}
 * @param level the median of the last k values in {@code epoch}
 * @param bestLevel the lowest level the run reached, and {@code bestEpoch} where
 * @param floor the metric's 99% shot-noise floor in {@code epoch}
 * @param floorExpected the floor's mean (what a perfect model shows on average)
 * @param values the metric from {@code sinceEpoch} to {@code epoch}
 * @param shotsPerEpoch shots drawn per epoch
 * @param maxEpochs the run's declared number of epochs, if known
 * @param epochsSaved epochs that stopping now saves against {@code maxEpochs} (0 when unknown)
 * @param shotsSaved {@code epochsSaved × shotsPerEpoch}
 * @param reason the rule and its figures, for people
 */
public record Advice(
    AdviceKind kind,
    long epoch,
    long sinceEpoch,
    String metric,
    double value,
    double level,
    double bestLevel,
    long bestEpoch,
    double floor,
    double floorExpected,
    double[] values,
    long shotsPerEpoch,
    OptionalInt maxEpochs,
    long epochsSaved,
    long shotsSaved,
    String reason) {
  public Advice {
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }
}
