package io.qmon.schemas.validation;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.util.List;
import java.util.Map;
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
      return reject(ErrorType.MISSING_RUN_ID, "run_id", "run_id is empty");
    }
    if (isBlank(event.getProducerId())) {
      return reject(ErrorType.MISSING_PRODUCER_ID, "producer_id", "producer_id is empty");
    }
    if (event.getSeq() < 0) {
      return reject(ErrorType.INVALID_SEQ, "seq", "seq " + event.getSeq() + " is negative");
    }
    Optional<Rejection> epoch = checkEpoch(event.getEpoch());
    if (epoch.isPresent()) {
      return epoch;
    }
    Optional<Rejection> qubits = checkQubits(event.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    if (event.getShots() <= 0) {
      return reject(ErrorType.INVALID_SHOTS, "shots", "shots " + event.getShots() + " must be > 0");
    }
    Optional<Rejection> counts =
        checkCounts(event.getQubits(), event.getShots(), event.getOutcomes(), event.getCounts());
    if (counts.isPresent()) {
      return counts;
    }
    return checkLosses(event.getLosses());
  }

  /** An epoch number: not negative. */
  public static Optional<Rejection> checkEpoch(int epoch) {
    if (epoch < 0) {
      return reject(ErrorType.INVALID_EPOCH, "epoch", "epoch " + epoch + " is negative");
    }
    return Optional.empty();
  }

  /**
   * One epoch's counts: outcomes and counts pair up, every outcome fits in the qubits, every count
   * is ≥ 0, and the counts sum to the shots. The SDK runs this on its arrays (wrapped, not copied)
   * before publishing and the job on every decoded event, so both refuse the same events with the
   * same words.
   */
  public static Optional<Rejection> checkCounts(
      int qubits, long shots, List<Long> outcomes, List<Long> counts) {
    if (outcomes.size() != counts.size()) {
      return reject(
          ErrorType.INVALID_COUNTS,
          "counts",
          "outcomes has "
              + outcomes.size()
              + " entries but counts has "
              + counts.size()
              + "; they must pair up");
    }
    long limit = limitFor(qubits);
    long total = 0;
    for (int i = 0; i < outcomes.size(); i++) {
      long outcome = outcomes.get(i);
      long count = counts.get(i);
      if (outcome < 0 || outcome > limit) {
        return outOfRange(i, outcome, qubits);
      }
      if (count < 0) {
        return reject(
            ErrorType.NEGATIVE_COUNT,
            "counts[" + i + "]",
            "counts[" + i + "] = " + count + " for outcome " + outcome + " is negative");
      }
      total += count;
    }
    if (total != shots) {
      return reject(
          ErrorType.COUNTS_NOT_SUMMING_TO_SHOTS,
          "counts",
          "counts sum to " + total + " but shots is " + shots);
    }
    return Optional.empty();
  }

  /** Named, finite losses. */
  public static Optional<Rejection> checkLosses(Map<String, Double> losses) {
    for (var loss : losses.entrySet()) {
      if (loss.getKey() == null) {
        return reject(ErrorType.NON_FINITE_LOSS, "losses", "losses has an entry without a name");
      }
      if (loss.getValue() == null || !Double.isFinite(loss.getValue())) {
        return reject(
            ErrorType.NON_FINITE_LOSS,
            "losses[" + loss.getKey() + "]",
            "losses[" + loss.getKey() + "] = " + loss.getValue() + " is not finite");
      }
    }
    return Optional.empty();
  }

  /** A run start's own fields: qubits, shots, target, repetitions and repeat index. */
  public static Optional<Rejection> checkRunStarted(RunStarted started) {
    Optional<Rejection> qubits = checkQubits(started.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    if (started.getShots() <= 0) {
      return reject(
          ErrorType.INVALID_SHOTS, "shots", "shots " + started.getShots() + " must be > 0");
    }
    if (isBlank(started.getTargetId())) {
      return reject(ErrorType.MISSING_TARGET_ID, "target_id", "target_id is empty");
    }
    if (started.getRepetitions() < 0) {
      return reject(
          ErrorType.INVALID_RUN_START,
          "repetitions",
          "repetitions " + started.getRepetitions() + " is negative");
    }
    if (started.getRepeatIndex() < 0) {
      return reject(
          ErrorType.INVALID_RUN_START,
          "repeat_index",
          "repeat_index " + started.getRepeatIndex() + " is negative");
    }
    return Optional.empty();
  }

  /** Checks a run lifecycle event. */
  public static Optional<Rejection> validate(RunEvent event) {
    if (isBlank(event.getRunId())) {
      return reject(ErrorType.MISSING_RUN_ID, "run_id", "run_id is empty");
    }
    if (event.getPayload() instanceof RunStarted started) {
      return checkRunStarted(started);
    }
    return Optional.empty();
  }

  /** Checks a target distribution. */
  public static Optional<Rejection> validate(TargetDistribution target) {
    if (isBlank(target.getTargetId())) {
      return reject(ErrorType.MISSING_TARGET_ID, "target_id", "target_id is empty");
    }
    Optional<Rejection> qubits = checkQubits(target.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    List<Long> outcomes = target.getOutcomes();
    List<Double> probabilities = target.getProbabilities();
    if (outcomes.size() != probabilities.size() || outcomes.isEmpty()) {
      return reject(
          ErrorType.INVALID_TARGET,
          "probabilities",
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
            ErrorType.INVALID_TARGET,
            "probabilities[" + i + "]",
            "probabilities[" + i + "] = " + p + " must be finite and >= 0");
      }
      total += p;
    }
    if (Math.abs(total - 1.0) > PROBABILITY_TOLERANCE) {
      return reject(
          ErrorType.INVALID_TARGET, "probabilities", "probabilities sum to " + total + ", not 1");
    }
    return Optional.empty();
  }

  /** A qubit count: 1 to {@value #MAX_QUBITS}. */
  public static Optional<Rejection> checkQubits(int qubits) {
    if (qubits < 1 || qubits > MAX_QUBITS) {
      return reject(
          ErrorType.INVALID_QUBITS,
          "qubits",
          "qubits " + qubits + " is outside [1, " + MAX_QUBITS + "]");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> outOfRange(int index, long outcome, int qubits) {
    return reject(
        ErrorType.OUTCOME_OUT_OF_RANGE,
        "outcomes[" + index + "]",
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

  private static Optional<Rejection> reject(ErrorType type, String field, String reason) {
    return Optional.of(new Rejection(type, field, reason));
  }
}
