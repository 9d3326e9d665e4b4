package io.qmon.producers.train;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one training epoch produced: the shots the current model drew, the losses, and the
 * parameters after the epoch's update. This is what a publisher turns into a {@code qgm.shots}
 * event.
 *
 * @param epoch 1 for the first epoch, counting up
 * @param qubits n; outcomes lie in [0, 2^n)
 * @param shots total number of shots, the sum of {@code counts}
 * @param outcomes distinct outcomes in increasing order (Qiskit count keys)
 * @param counts how often each outcome was seen
 * @param losses named losses in insertion order, for instance {@code jsd} or {@code d_loss}
 * @param parameters the circuit parameters after this epoch's update
 */
public record EpochResult(
    int epoch,
    int qubits,
    long shots,
    long[] outcomes,
    long[] counts,
    Map<String, Double> losses,
    double[] parameters) {

  public EpochResult {
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
    }
    if (outcomes.length != counts.length) {
      throw new IllegalArgumentException(
          "outcomes and counts differ in length: " + outcomes.length + " != " + counts.length);
    }
    outcomes = outcomes.clone();
    counts = counts.clone();
    losses = Collections.unmodifiableMap(new LinkedHashMap<>(losses));
    parameters = parameters.clone();
  }

  @Override
  public long[] outcomes() {
    return outcomes.clone();
  }

  @Override
  public long[] counts() {
    return counts.clone();
  }

  @Override
  public double[] parameters() {
    return parameters.clone();
  }

  /** The loss with the given name. */
  public double loss(String name) {
    Double value = losses.get(name);
    if (value == null) {
      throw new IllegalArgumentException("no loss named " + name + "; have " + losses.keySet());
    }
    return value;
  }
}
