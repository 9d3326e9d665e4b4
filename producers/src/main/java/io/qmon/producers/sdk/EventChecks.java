package io.qmon.producers.sdk;

import io.qmon.schemas.RunStarted;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.EventValidator;
import java.util.Map;

/**
 * The checks the SDK runs before anything is sent. Each failure is an {@link InvalidEventException}
 * naming the field, so a training loop learns at once what it got wrong, rather than finding the
 * event later on the dead-letter topic.
 */
final class EventChecks {
  /** Largest qubit count a state snapshot may carry: 2^20 amplitudes (16 MiB) per event. */
  static final int MAX_STATE_QUBITS = 20;

  private static final double NORM_TOLERANCE = 1e-6;

  private EventChecks() {}

  static void checkRunStarted(String runId, RunStarted started) {
    require(started != null, "started", "must not be null");
    require(runId != null && !runId.isBlank(), "run_id", "must not be blank");
    checkQubits(started.getQubits());
    require(started.getShots() > 0, "shots", started.getShots() + " must be > 0");
    require(
        started.getTargetId() != null && !started.getTargetId().isBlank(),
        "target_id",
        "must not be blank");
    require(
        started.getRepeatIndex() >= 0, "repeat_index", started.getRepeatIndex() + " must be >= 0");
    require(
        started.getRepetitions() >= 0, "repetitions", started.getRepetitions() + " must be >= 0");
  }

  /**
   * Checks one epoch: epochs increase, outcomes and counts pair up, every outcome fits in the run's
   * qubits and occurs once, every count is ≥ 0, the counts sum to the run's shots, losses are
   * finite.
   */
  static void checkEpoch(
      int epoch,
      int previousEpoch,
      int qubits,
      long shots,
      long[] outcomes,
      long[] counts,
      Map<String, Double> losses) {
    require(epoch >= 0, "epoch", epoch + " must be >= 0");
    require(
        epoch > previousEpoch,
        "epoch",
        epoch + " must be greater than the previous epoch " + previousEpoch);
    require(outcomes != null, "outcomes", "must not be null");
    require(counts != null, "counts", "must not be null");
    require(
        outcomes.length == counts.length,
        "counts",
        "has "
            + counts.length
            + " entries but outcomes has "
            + outcomes.length
            + "; they must pair up");
    long limit = qubits >= EventValidator.MAX_QUBITS ? Long.MAX_VALUE : (1L << qubits) - 1;
    long total = 0;
    for (int i = 0; i < outcomes.length; i++) {
      long outcome = outcomes[i];
      if (outcome < 0 || outcome > limit) {
        throw new InvalidEventException(
            "outcomes[" + i + "]",
            outcome + " does not fit in " + qubits + " qubits (must be in [0, 2^" + qubits + "))");
      }
      if (counts[i] < 0) {
        throw new InvalidEventException(
            "counts[" + i + "]", counts[i] + " for outcome " + outcome + " must be >= 0");
      }
      total += counts[i];
    }
    checkDistinct(outcomes);
    require(total == shots, "counts", "sum to " + total + " but the run declared shots = " + shots);
    if (losses != null) {
      for (Map.Entry<String, Double> loss : losses.entrySet()) {
        require(loss.getKey() != null, "losses", "has a null name");
        Double value = loss.getValue();
        require(
            value != null && Double.isFinite(value),
            "losses[" + loss.getKey() + "]",
            value + " is not finite");
      }
    }
  }

  /** Checks a state snapshot: 2^n finite amplitudes of norm 1, epochs increasing. */
  static void checkState(int epoch, int previousEpoch, int qubits, double[] re, double[] im) {
    require(epoch >= 0, "epoch", epoch + " must be >= 0");
    require(
        epoch > previousEpoch,
        "epoch",
        epoch + " must be greater than the previous snapshot's epoch " + previousEpoch);
    require(
        qubits <= MAX_STATE_QUBITS,
        "qubits",
        qubits + " is too many for a snapshot (at most " + MAX_STATE_QUBITS + ")");
    require(re != null, "amplitudes_re", "must not be null");
    require(im != null, "amplitudes_im", "must not be null");
    int size = 1 << qubits;
    require(re.length == size, "amplitudes_re", "has " + re.length + " entries, not 2^" + qubits);
    require(im.length == size, "amplitudes_im", "has " + im.length + " entries, not 2^" + qubits);
    double norm = 0;
    for (int i = 0; i < size; i++) {
      if (!Double.isFinite(re[i])) {
        throw new InvalidEventException("amplitudes_re[" + i + "]", re[i] + " is not finite");
      }
      if (!Double.isFinite(im[i])) {
        throw new InvalidEventException("amplitudes_im[" + i + "]", im[i] + " is not finite");
      }
      norm += re[i] * re[i] + im[i] * im[i];
    }
    require(
        Math.abs(norm - 1) <= NORM_TOLERANCE,
        "amplitudes",
        "squared norm is " + norm + ", not 1 (tolerance " + NORM_TOLERANCE + ")");
  }

  static void checkTarget(TargetDistribution target) {
    require(target != null, "target", "must not be null");
    EventValidator.validate(target)
        .ifPresent(
            r -> {
              throw new InvalidEventException("target " + target.getTargetId(), r.reason());
            });
  }

  private static void checkQubits(int qubits) {
    require(
        qubits >= 1 && qubits <= EventValidator.MAX_QUBITS,
        "qubits",
        qubits + " is outside [1, " + EventValidator.MAX_QUBITS + "]");
  }

  /** Outcomes from a sampler come sorted, so the common case is one linear pass. */
  private static void checkDistinct(long[] outcomes) {
    boolean sorted = true;
    for (int i = 1; i < outcomes.length; i++) {
      if (outcomes[i] <= outcomes[i - 1]) {
        sorted = false;
        break;
      }
    }
    if (sorted) {
      return;
    }
    Map<Long, Integer> seen = new java.util.HashMap<>(outcomes.length * 2);
    for (int i = 0; i < outcomes.length; i++) {
      Integer first = seen.putIfAbsent(outcomes[i], i);
      if (first != null) {
        throw new InvalidEventException(
            "outcomes[" + i + "]",
            outcomes[i] + " repeats outcomes[" + first + "]; each outcome must appear once");
      }
    }
  }

  private static void require(boolean condition, String field, String problem) {
    if (!condition) {
      throw new InvalidEventException(field, problem);
    }
  }
}
