package io.qmon.schemas.validation;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.util.List;
import java.util.Optional;

/**
 * Checks that decoded events make sense on their own, before any state is consulted. Producers run
 * the same checks before sending, and the job runs them again at its edge, so both speak of the
 * same rules with the same messages.
 */
public final class EventValidator {
  /** Largest qubit count whose outcomes fit in a signed 64-bit integer. */
  public static final int MAX_QUBITS = 63;

  private static final double PROBABILITY_TOLERANCE = 1e-6;

  private EventValidator() {}

  /** Checks one epoch's shot counts. */
  public static Optional<Rejection> validate(ShotCounts event) {
    if (isBlank(event.getRunId())) {
      return reject("MISSING_RUN_ID", "run_id is empty");
    }
    if (isBlank(event.getProducerId())) {
      return reject("MISSING_PRODUCER_ID", "producer_id is empty");
    }
    if (event.getSeq() < 0) {
      return reject("INVALID_SEQ", "seq " + event.getSeq() + " is negative");
    }
    if (event.getEpoch() < 0) {
      return reject("INVALID_EPOCH", "epoch " + event.getEpoch() + " is negative");
    }
    Optional<Rejection> qubits = checkQubits(event.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    if (event.getShots() <= 0) {
      return reject("INVALID_SHOTS", "shots " + event.getShots() + " must be > 0");
    }
    List<Long> outcomes = event.getOutcomes();
    List<Long> counts = event.getCounts();
    if (outcomes.size() != counts.size()) {
      return reject(
          "INVALID_COUNTS",
          "outcomes has "
              + outcomes.size()
              + " entries but counts has "
              + counts.size()
              + "; they must pair up");
    }
    long limit = limitFor(event.getQubits());
    long total = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      long outcome = outcomes.get(i);
      long count = counts.get(i);
      if (outcome < 0 || outcome > limit) {
        return outOfRange(i, outcome, event.getQubits());
      }
      if (count < 0) {
        return reject(
            "NEGATIVE_COUNT",
            "counts[" + i + "] = " + count + " for outcome " + outcome + " is negative");
      }
      total += count;
    }
    if (total != event.getShots()) {
      return reject(
          "COUNTS_NOT_SUMMING_TO_SHOTS",
          "counts sum to " + total + " but shots is " + event.getShots());
    }
    for (var loss : event.getLosses().entrySet()) {
      if (loss.getValue() == null || !Double.isFinite(loss.getValue())) {
        return reject(
            "NON_FINITE_LOSS",
            "losses[" + loss.getKey() + "] = " + loss.getValue() + " is not finite");
      }
    }
    return Optional.empty();
  }

  /** Checks a run lifecycle event. */
  public static Optional<Rejection> validate(RunEvent event) {
    if (isBlank(event.getRunId())) {
      return reject("MISSING_RUN_ID", "run_id is empty");
    }
    if (event.getPayload() instanceof RunStarted started) {
      Optional<Rejection> qubits = checkQubits(started.getQubits());
      if (qubits.isPresent()) {
        return qubits;
      }
      if (started.getShots() <= 0) {
        return reject("INVALID_SHOTS", "shots " + started.getShots() + " must be > 0");
      }
      if (isBlank(started.getTargetId())) {
        return reject("MISSING_TARGET_ID", "target_id is empty");
      }
    }
    return Optional.empty();
  }

  /** Checks a target distribution. */
  public static Optional<Rejection> validate(TargetDistribution target) {
    if (isBlank(target.getTargetId())) {
      return reject("MISSING_TARGET_ID", "target_id is empty");
    }
    Optional<Rejection> qubits = checkQubits(target.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    List<Long> outcomes = target.getOutcomes();
    List<Double> probabilities = target.getProbabilities();
    if (outcomes.size() != probabilities.size() || outcomes.isEmpty()) {
      return reject(
          "INVALID_TARGET",
          "a target needs as many probabilities as outcomes, and at least one; got "
              + outcomes.size()
              + " outcomes and "
              + probabilities.size()
              + " probabilities");
    }
    long limit = limitFor(target.getQubits());
    double total = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      long outcome = outcomes.get(i);
      double p = probabilities.get(i);
      if (outcome < 0 || outcome > limit) {
        return outOfRange(i, outcome, target.getQubits());
      }
      if (!(p >= 0) || Double.isInfinite(p)) {
        return reject(
            "INVALID_TARGET", "probabilities[" + i + "] = " + p + " must be finite and >= 0");
      }
      total += p;
    }
    if (Math.abs(total - 1.0) > PROBABILITY_TOLERANCE) {
      return reject("INVALID_TARGET", "probabilities sum to " + total + ", not 1");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkQubits(int qubits) {
    if (qubits < 1 || qubits > MAX_QUBITS) {
      return reject("INVALID_QUBITS", "qubits " + qubits + " is outside [1, " + MAX_QUBITS + "]");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> outOfRange(int index, long outcome, int qubits) {
    return reject(
        "OUTCOME_OUT_OF_RANGE",
        "outcomes["
            + index
            + "] = "
            + outcome
            + " does not fit in "
            + qubits
            + " qubits (must be < 2^"
            + qubits
            + ")");
  }

  private static long limitFor(int qubits) {
    return qubits == MAX_QUBITS ? Long.MAX_VALUE : (1L << qubits) - 1;
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static Optional<Rejection> reject(String errorType, String reason) {
    return Optional.of(new Rejection(errorType, reason));
  }
}
