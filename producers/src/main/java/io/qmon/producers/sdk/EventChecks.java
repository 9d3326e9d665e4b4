package io.qmon.producers.sdk;

import io.qmon.schemas.LongArrayList;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.TargetDistribution;
import io.qmon.schemas.validation.EventValidator;
import io.qmon.schemas.validation.Rejection;
import java.util.Map;
import java.util.Optional;

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
    rethrow(EventValidator.checkRunStarted(started));
  }

  /**
   * Checks one epoch: the rules the job applies to every decoded event ({@link
   * EventValidator#checkEpoch}, {@link EventValidator#checkCounts}, {@link
   * EventValidator#checkLosses}: outcomes and counts pair up, every outcome fits in the run's
   * qubits, every count is ≥ 0, the counts sum to the run's shots, losses are finite), plus the
   * publisher's own: epochs increase and every outcome occurs once.
   */
  static void checkEpoch(
      int epoch,
      int previousEpoch,
      int qubits,
      long shots,
      long[] outcomes,
      long[] counts,
      Map<String, Double> losses) {
    rethrow(EventValidator.checkEpoch(epoch));
    require(
        epoch > previousEpoch,
        "epoch",
        epoch + " must be greater than the previous epoch " + previousEpoch);
    require(outcomes != null, "outcomes", "must not be null");
    require(counts != null, "counts", "must not be null");
    rethrow(
        EventValidator.checkCounts(
            qubits, shots, LongArrayList.wrap(outcomes), LongArrayList.wrap(counts)));
    checkDistinct(outcomes);
    if (losses != null) {
      rethrow(EventValidator.checkLosses(losses));
    }
  }

  /** Checks a state snapshot: 2^n finite amplitudes of norm 1, epochs increasing. */
  static void checkState(int epoch, int previousEpoch, int qubits, double[] re, double[] im) {
    rethrow(EventValidator.checkEpoch(epoch));
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

  /** The shared validator's refusal as the SDK's exception, naming the same field. */
  private static void rethrow(Optional<Rejection> rejection) {
    rejection.ifPresent(
        r -> {
          throw new InvalidEventException(r);
        });
  }

  private static void require(boolean condition, String field, String problem) {
    if (!condition) {
      throw new InvalidEventException(field, problem);
    }
  }
}
