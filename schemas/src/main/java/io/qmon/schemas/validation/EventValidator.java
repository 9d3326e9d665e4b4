package io.qmon.schemas.validation;

import static io.qmon.schemas.validation.InputBounds.MAX_ATTACHMENTS;
import static io.qmon.schemas.validation.InputBounds.MAX_ATTACHMENT_BYTES;
import static io.qmon.schemas.validation.InputBounds.MAX_ATTACHMENT_NAME_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MAX_EPOCH;
import static io.qmon.schemas.validation.InputBounds.MAX_EVENT_TIME_MS;
import static io.qmon.schemas.validation.InputBounds.MAX_ID_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MAX_LOSSES;
import static io.qmon.schemas.validation.InputBounds.MAX_LOSS_NAME_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MAX_MAP_ENTRIES;
import static io.qmon.schemas.validation.InputBounds.MAX_MAP_KEY_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MAX_MAP_VALUE_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MAX_NAME_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MAX_OUTCOMES;
import static io.qmon.schemas.validation.InputBounds.MAX_SHOTS;
import static io.qmon.schemas.validation.InputBounds.MAX_STATE_QUBITS;
import static io.qmon.schemas.validation.InputBounds.MAX_TARGET_OUTCOMES;
import static io.qmon.schemas.validation.InputBounds.MAX_TEXT_LENGTH;
import static io.qmon.schemas.validation.InputBounds.MIN_EVENT_TIME_MS;
import static io.qmon.schemas.validation.InputBounds.PROBABILITY_TOLERANCE;

import io.qmon.schemas.RunEvent;
import io.qmon.schemas.RunFinished;
import io.qmon.schemas.RunStarted;
import io.qmon.schemas.ShotCounts;
import io.qmon.schemas.TargetDistribution;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks that decoded events make sense on their own, before any state is consulted. Producers run
 * the same checks before sending, and the job runs them again at its edge, so both speak of the
 * same rules with the same messages. Every bound is a constant of {@link InputBounds}; every
 * refusal names the field and carries an {@link ErrorType}.
 */
public final class EventValidator {
  /** Largest qubit count whose outcomes fit in a signed 64-bit integer. */
  public static final int MAX_QUBITS = 63;

  /** A safe relative file name: no separator, no leading dot (so no "..", nothing hidden). */
  private static final Pattern ATTACHMENT_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

  private EventValidator() {}

  /** Checks one epoch's shot counts. */
  public static Optional<Rejection> validate(ShotCounts event) {
    Optional<Rejection> ids = checkIds(event.getRunId(), event.getProducerId());
    if (ids.isPresent()) {
      return ids;
    }
    Optional<Rejection> optional = checkOptionalIds(event.getProducerSession(), event.getCircuit());
    if (optional.isPresent()) {
      return optional;
    }
    if (event.getSeq() < 0) {
      return reject(ErrorType.INVALID_SEQ, "seq", "seq " + event.getSeq() + " is negative");
    }
    Optional<Rejection> epoch = checkEpoch(event.getEpoch());
    if (epoch.isPresent()) {
      return epoch;
    }
    Optional<Rejection> time = checkEventTime(event.getEventTime());
    if (time.isPresent()) {
      return time;
    }
    Optional<Rejection> qubits = checkQubits(event.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    Optional<Rejection> shots = checkShots(event.getShots());
    if (shots.isPresent()) {
      return shots;
    }
    Optional<Rejection> counts =
        checkCounts(event.getQubits(), event.getShots(), event.getOutcomes(), event.getCounts());
    if (counts.isPresent()) {
      return counts;
    }
    return checkLosses(event.getLosses());
  }

  /** An epoch number: 0 to {@value InputBounds#MAX_EPOCH}. */
  public static Optional<Rejection> checkEpoch(int epoch) {
    if (epoch < 0) {
      return reject(ErrorType.INVALID_EPOCH, "epoch", "epoch " + epoch + " is negative");
    }
    if (epoch > MAX_EPOCH) {
      return reject(
          ErrorType.INVALID_EPOCH,
          "epoch",
          "epoch " + epoch + " is above the largest accepted epoch " + MAX_EPOCH);
    }
    return Optional.empty();
  }

  /**
   * An event time between 2000-01-01 and the end of the year 9999: a clock at zero, a negative or
   * {@code Long.MIN_VALUE} time is a producer bug, and no run's lateness may be judged against it.
   * How far ahead of now a time may be is the job's call (it has the clock).
   */
  public static Optional<Rejection> checkEventTime(Instant eventTime) {
    if (eventTime == null) {
      return reject(ErrorType.INVALID_EVENT_TIME, "event_time", "event_time is not set");
    }
    long millis;
    try {
      millis = eventTime.toEpochMilli();
    } catch (ArithmeticException e) {
      millis = eventTime.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    if (millis < MIN_EVENT_TIME_MS || millis > MAX_EVENT_TIME_MS) {
      return reject(
          ErrorType.INVALID_EVENT_TIME,
          "event_time",
          "event_time "
              + millis
              + " ms is outside ["
              + MIN_EVENT_TIME_MS
              + " (2000-01-01T00:00:00Z), "
              + MAX_EVENT_TIME_MS
              + " (9999-12-31T23:59:59.999Z)]");
    }
    return Optional.empty();
  }

  /** Shots: 1 to {@value InputBounds#MAX_SHOTS}. */
  public static Optional<Rejection> checkShots(long shots) {
    if (shots <= 0) {
      return reject(ErrorType.INVALID_SHOTS, "shots", "shots " + shots + " must be > 0");
    }
    if (shots > MAX_SHOTS) {
      return reject(
          ErrorType.INVALID_SHOTS,
          "shots",
          "shots " + shots + " is above the largest accepted " + MAX_SHOTS);
    }
    return Optional.empty();
  }

  /**
   * One epoch's counts: outcomes and counts pair up, there are at most min(shots, 2^qubits, {@value
   * InputBounds#MAX_OUTCOMES}) of them, every outcome fits in the qubits and occurs once, every
   * count is ≥ 0, and the counts sum (without overflow) to the shots. The SDK runs this on its
   * arrays (wrapped, not copied) before publishing and the job on every decoded event, so both
   * refuse the same events with the same words. Sorted outcomes (what samplers produce) cost one
   * pass and no allocation.
   */
  public static Optional<Rejection> checkCounts(
      int qubits, long shots, List<Long> outcomes, List<Long> counts) {
    int size = outcomes.size();
    if (size != counts.size()) {
      return reject(
          ErrorType.INVALID_COUNTS,
          "counts",
          "outcomes has "
              + size
              + " entries but counts has "
              + counts.size()
              + "; they must pair up");
    }
    long space = qubits >= 31 ? Long.MAX_VALUE : 1L << qubits;
    long allowed = Math.min(MAX_OUTCOMES, Math.min(shots, space));
    if (size > allowed) {
      return reject(
          ErrorType.TOO_MANY_ENTRIES,
          "outcomes",
          "outcomes has "
              + size
              + " entries; at most min(shots = "
              + shots
              + ", 2^qubits, "
              + MAX_OUTCOMES
              + ") = "
              + allowed
              + " are possible");
    }
    long limit = limitFor(qubits);
    long total = 0;
    boolean ascending = true;
    long previous = -1;
    for (int i = 0; i < size; i++) {
      long outcome = outcomes.get(i);
      long count = counts.get(i);
      if (outcome < 0 || outcome > limit) {
        return outOfRange(ErrorType.OUTCOME_OUT_OF_RANGE, i, outcome, qubits);
      }
      if (count < 0) {
        return reject(
            ErrorType.NEGATIVE_COUNT,
            "counts[" + i + "]",
            "counts[" + i + "] = " + count + " for outcome " + outcome + " is negative");
      }
      try {
        total = Math.addExact(total, count);
      } catch (ArithmeticException e) {
        return reject(
            ErrorType.INVALID_COUNTS,
            "counts[" + i + "]",
            "counts overflow a 64-bit sum at counts[" + i + "] = " + count);
      }
      ascending &= outcome > previous;
      previous = outcome;
    }
    if (!ascending) {
      Optional<Rejection> duplicate = firstDuplicate(ErrorType.DUPLICATE_OUTCOME, outcomes);
      if (duplicate.isPresent()) {
        return duplicate;
      }
    }
    if (total != shots) {
      return reject(
          ErrorType.COUNTS_NOT_SUMMING_TO_SHOTS,
          "counts",
          "counts sum to " + total + " but shots is " + shots);
    }
    return Optional.empty();
  }

  /** Named, finite losses: at most {@value InputBounds#MAX_LOSSES}, names of bounded length. */
  public static Optional<Rejection> checkLosses(Map<String, Double> losses) {
    if (losses.size() > MAX_LOSSES) {
      return reject(
          ErrorType.TOO_MANY_ENTRIES,
          "losses",
          "losses has " + losses.size() + " entries; at most " + MAX_LOSSES + " are accepted");
    }
    for (var loss : losses.entrySet()) {
      String name = loss.getKey();
      if (isBlank(name)) {
        return reject(ErrorType.NON_FINITE_LOSS, "losses", "losses has an entry without a name");
      }
      if (tooLong(name, MAX_LOSS_NAME_LENGTH)) {
        return reject(
            ErrorType.FIELD_TOO_LONG,
            "losses",
            "losses has a name of "
                + name.length()
                + " characters (\""
                + preview(name)
                + "\"); at most "
                + MAX_LOSS_NAME_LENGTH);
      }
      if (loss.getValue() == null || !Double.isFinite(loss.getValue())) {
        return reject(
            ErrorType.NON_FINITE_LOSS,
            "losses[" + name + "]",
            "losses[" + name + "] = " + loss.getValue() + " is not finite");
      }
    }
    return Optional.empty();
  }

  /**
   * A run start's own fields: qubits, shots, target, experiment, repetitions and repeat index, the
   * lengths of its names, and the size of its maps.
   */
  public static Optional<Rejection> checkRunStarted(RunStarted started) {
    Optional<Rejection> qubits = checkQubits(started.getQubits());
    if (qubits.isPresent()) {
      return qubits;
    }
    Optional<Rejection> shots = checkShots(started.getShots());
    if (shots.isPresent()) {
      return shots;
    }
    if (isBlank(started.getTargetId())) {
      return reject(ErrorType.MISSING_TARGET_ID, "target_id", "target_id is empty");
    }
    if (isBlank(started.getExperiment())) {
      return reject(ErrorType.INVALID_RUN_START, "experiment", "experiment is empty");
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
    Optional<Rejection> length =
        firstTooLong(
            "target_id",
            started.getTargetId(),
            MAX_ID_LENGTH,
            "config_id",
            started.getConfigId(),
            MAX_ID_LENGTH,
            "experiment",
            started.getExperiment(),
            MAX_NAME_LENGTH,
            "model_type",
            started.getModelType(),
            MAX_NAME_LENGTH,
            "ansatz",
            started.getAnsatz(),
            MAX_NAME_LENGTH,
            "backend",
            started.getBackend(),
            MAX_NAME_LENGTH,
            "noise_model",
            started.getNoiseModel(),
            MAX_NAME_LENGTH,
            "optimizer",
            started.getOptimizer(),
            MAX_NAME_LENGTH);
    if (length.isPresent()) {
      return length;
    }
    Optional<Rejection> params = checkMap("params", started.getParams());
    if (params.isPresent()) {
      return params;
    }
    Optional<Rejection> tags = checkMap("tags", started.getTags());
    if (tags.isPresent()) {
      return tags;
    }
    Optional<Rejection> settings = checkMap("optimizer_settings", started.getOptimizerSettings());
    if (settings.isPresent()) {
      return settings;
    }
    return checkAttachments(started.getAttachments());
  }

  /**
   * A run start's attachments: at most {@value InputBounds#MAX_ATTACHMENTS} files, each named by a
   * safe relative file name of at most {@value InputBounds#MAX_ATTACHMENT_NAME_LENGTH} characters
   * of {@code [A-Za-z0-9._-]} not starting with a dot, whose contents together take at most {@value
   * InputBounds#MAX_ATTACHMENT_BYTES} bytes of UTF-8.
   */
  public static Optional<Rejection> checkAttachments(Map<String, String> attachments) {
    if (attachments == null || attachments.isEmpty()) {
      return Optional.empty();
    }
    if (attachments.size() > MAX_ATTACHMENTS) {
      return reject(
          ErrorType.TOO_MANY_ENTRIES,
          "attachments",
          "attachments has "
              + attachments.size()
              + " entries; at most "
              + MAX_ATTACHMENTS
              + " are accepted");
    }
    long bytes = 0;
    for (var attachment : attachments.entrySet()) {
      String name = attachment.getKey();
      if (name == null || tooLong(name, MAX_ATTACHMENT_NAME_LENGTH)) {
        return reject(
            ErrorType.FIELD_TOO_LONG,
            "attachments",
            "attachments has a name of "
                + (name == null
                    ? "null"
                    : name.length() + " characters (\"" + preview(name) + "\")")
                + "; names have 1 to "
                + MAX_ATTACHMENT_NAME_LENGTH
                + " characters");
      }
      if (!ATTACHMENT_NAME.matcher(name).matches()) {
        return reject(
            ErrorType.INVALID_RUN_START,
            "attachments[" + preview(name) + "]",
            "attachments name \""
                + preview(name)
                + "\" is not a safe relative file name: use 1 to "
                + MAX_ATTACHMENT_NAME_LENGTH
                + " of [A-Za-z0-9._-], not starting with a dot");
      }
      String content = attachment.getValue();
      bytes += content == null ? 0 : content.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_ATTACHMENT_BYTES) {
        return reject(
            ErrorType.FIELD_TOO_LONG,
            "attachments[" + preview(name) + "]",
            "attachments take more than "
                + MAX_ATTACHMENT_BYTES
                + " bytes of UTF-8 together (reached "
                + bytes
                + " at \""
                + preview(name)
                + "\")");
      }
    }
    return Optional.empty();
  }

  /** Checks a run lifecycle event. */
  public static Optional<Rejection> validate(RunEvent event) {
    if (isBlank(event.getRunId())) {
      return reject(ErrorType.MISSING_RUN_ID, "run_id", "run_id is empty");
    }
    Optional<Rejection> ids =
        firstTooLong(
            "run_id",
            event.getRunId(),
            MAX_ID_LENGTH,
            "producer_id",
            event.getProducerId(),
            MAX_ID_LENGTH,
            "producer_session",
            event.getProducerSession(),
            MAX_ID_LENGTH);
    if (ids.isPresent()) {
      return ids;
    }
    Optional<Rejection> time = checkEventTime(event.getEventTime());
    if (time.isPresent()) {
      return time;
    }
    if (event.getPayload() instanceof RunStarted started) {
      return checkRunStarted(started);
    }
    if (event.getPayload() instanceof RunFinished finished) {
      return checkRunFinished(finished);
    }
    return Optional.empty();
  }

  /** A finish event: an epoch count within the epoch bound, a message of bounded length. */
  public static Optional<Rejection> checkRunFinished(RunFinished finished) {
    int epochs = finished.getEpochs();
    if (epochs < 0 || epochs > MAX_EPOCH) {
      return reject(
          ErrorType.INVALID_EPOCH,
          "epochs",
          "epochs " + epochs + " is outside [0, " + MAX_EPOCH + "]");
    }
    return firstTooLong("message", finished.getMessage(), MAX_TEXT_LENGTH);
  }

  /**
   * Checks a target distribution: probabilities finite, ≥ 0 and summing to 1, outcomes distinct and
   * within the qubits, at most min(2^qubits, {@value InputBounds#MAX_TARGET_OUTCOMES}) of them, a
   * value range with low < high (both finite), and a target state of 2^qubits finite amplitudes of
   * norm 1 over at most {@value InputBounds#MAX_STATE_QUBITS} qubits. A target the scorer could not
   * use would otherwise fail every epoch of every run that names it.
   */
  public static Optional<Rejection> validate(TargetDistribution target) {
    if (isBlank(target.getTargetId())) {
      return reject(ErrorType.MISSING_TARGET_ID, "target_id", "target_id is empty");
    }
    Optional<Rejection> length =
        firstTooLong(
            "target_id",
            target.getTargetId(),
            MAX_ID_LENGTH,
            "description",
            target.getDescription(),
            MAX_TEXT_LENGTH);
    if (length.isPresent()) {
      return length;
    }
    int qubits = target.getQubits();
    Optional<Rejection> qubitCheck = checkQubits(qubits);
    if (qubitCheck.isPresent()) {
      return qubitCheck;
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
    long space = qubits >= 31 ? Long.MAX_VALUE : 1L << qubits;
    long allowed = Math.min(MAX_TARGET_OUTCOMES, space);
    if (outcomes.size() > allowed) {
      return reject(
          ErrorType.INVALID_TARGET,
          "outcomes",
          "outcomes has "
              + outcomes.size()
              + " entries; a target lists at most min(2^qubits, "
              + MAX_TARGET_OUTCOMES
              + ") = "
              + allowed
              + " (larger targets must be sparse)");
    }
    long limit = limitFor(qubits);
    double total = 0;
    boolean ascending = true;
    long previous = -1;
    for (int i = 0; i < outcomes.size(); i++) {
      long outcome = outcomes.get(i);
      double p = probabilities.get(i);
      if (outcome < 0 || outcome > limit) {
        return outOfRange(ErrorType.INVALID_TARGET, i, outcome, qubits);
      }
      if (!(p >= 0) || Double.isInfinite(p)) {
        return reject(
            ErrorType.INVALID_TARGET,
            "probabilities[" + i + "]",
            "probabilities[" + i + "] = " + p + " must be finite and >= 0");
      }
      total += p;
      ascending &= outcome > previous;
      previous = outcome;
    }
    if (!ascending) {
      Optional<Rejection> duplicate = firstDuplicate(ErrorType.INVALID_TARGET, outcomes);
      if (duplicate.isPresent()) {
        return duplicate;
      }
    }
    if (!(Math.abs(total - 1.0) <= PROBABILITY_TOLERANCE)) {
      return reject(
          ErrorType.INVALID_TARGET,
          "probabilities",
          "probabilities sum to " + total + ", not 1 (tolerance " + PROBABILITY_TOLERANCE + ")");
    }
    Optional<Rejection> range = checkValueRange(target.getLow(), target.getHigh());
    if (range.isPresent()) {
      return range;
    }
    return checkTargetState(qubits, target.getAmplitudesRe(), target.getAmplitudesIm());
  }

  private static Optional<Rejection> checkValueRange(Double low, Double high) {
    if (low == null && high == null) {
      return Optional.empty();
    }
    if (low == null || high == null) {
      return reject(
          ErrorType.INVALID_TARGET,
          low == null ? "low" : "high",
          (low == null ? "low" : "high")
              + " is not set but "
              + (low == null ? "high" : "low")
              + " is: a value range needs both");
    }
    if (!Double.isFinite(low)
        || !Double.isFinite(high)
        || !(low < high)
        || !Double.isFinite(high - low)) {
      return reject(
          ErrorType.INVALID_TARGET,
          "low",
          "value range [low = " + low + ", high = " + high + "] must be finite with low < high");
    }
    return Optional.empty();
  }

  private static Optional<Rejection> checkTargetState(
      int qubits, List<Double> re, List<Double> im) {
    if (re == null && im == null) {
      return Optional.empty();
    }
    if (re == null) {
      return reject(
          ErrorType.INVALID_TARGET,
          "amplitudes_re",
          "amplitudes_re is not set but amplitudes_im is: a target state needs its real parts");
    }
    if (qubits > MAX_STATE_QUBITS) {
      return reject(
          ErrorType.INVALID_TARGET,
          "amplitudes_re",
          "a target state over "
              + qubits
              + " qubits is too large; at most "
              + MAX_STATE_QUBITS
              + " qubits");
    }
    int size = 1 << qubits;
    if (re.size() != size) {
      return reject(
          ErrorType.INVALID_TARGET,
          "amplitudes_re",
          "amplitudes_re has " + re.size() + " entries, not 2^" + qubits + " = " + size);
    }
    if (im != null && im.size() != size) {
      return reject(
          ErrorType.INVALID_TARGET,
          "amplitudes_im",
          "amplitudes_im has " + im.size() + " entries, not 2^" + qubits + " = " + size);
    }
    double norm = 0;
    for (int i = 0; i < size; i++) {
      double a = re.get(i);
      double b = im == null ? 0 : im.get(i);
      if (!Double.isFinite(a)) {
        return reject(
            ErrorType.INVALID_TARGET,
            "amplitudes_re[" + i + "]",
            "amplitudes_re[" + i + "] = " + a + " is not finite");
      }
      if (!Double.isFinite(b)) {
        return reject(
            ErrorType.INVALID_TARGET,
            "amplitudes_im[" + i + "]",
            "amplitudes_im[" + i + "] = " + b + " is not finite");
      }
      norm += a * a + b * b;
    }
    if (!(Math.abs(norm - 1) <= PROBABILITY_TOLERANCE)) {
      return reject(
          ErrorType.INVALID_TARGET,
          "amplitudes_re",
          "the target state's squared norm is "
              + norm
              + ", not 1 (tolerance "
              + PROBABILITY_TOLERANCE
              + ")");
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

  private static Optional<Rejection> checkIds(String runId, String producerId) {
    if (isBlank(runId)) {
      return reject(ErrorType.MISSING_RUN_ID, "run_id", "run_id is empty");
    }
    if (isBlank(producerId)) {
      return reject(ErrorType.MISSING_PRODUCER_ID, "producer_id", "producer_id is empty");
    }
    return firstTooLong("run_id", runId, MAX_ID_LENGTH, "producer_id", producerId, MAX_ID_LENGTH);
  }

  private static Optional<Rejection> checkOptionalIds(String session, String circuit) {
    return firstTooLong(
        "producer_session", session, MAX_ID_LENGTH, "circuit", circuit, MAX_ID_LENGTH);
  }

  /** A string map (params, tags, optimizer settings): bounded entries, keys and values. */
  private static Optional<Rejection> checkMap(String field, Map<String, String> map) {
    if (map == null) {
      return Optional.empty();
    }
    if (map.size() > MAX_MAP_ENTRIES) {
      return reject(
          ErrorType.TOO_MANY_ENTRIES,
          field,
          field + " has " + map.size() + " entries; at most " + MAX_MAP_ENTRIES + " are accepted");
    }
    for (var entry : map.entrySet()) {
      String key = entry.getKey();
      if (key == null || tooLong(key, MAX_MAP_KEY_LENGTH)) {
        return reject(
            ErrorType.FIELD_TOO_LONG,
            field,
            field
                + " has a key of "
                + (key == null ? "null" : key.length() + " characters (\"" + preview(key) + "\")")
                + "; keys have 1 to "
                + MAX_MAP_KEY_LENGTH
                + " characters");
      }
      if (tooLong(entry.getValue(), MAX_MAP_VALUE_LENGTH)) {
        return reject(
            ErrorType.FIELD_TOO_LONG,
            field + "[" + preview(key) + "]",
            field
                + "["
                + preview(key)
                + "] has "
                + entry.getValue().length()
                + " characters; at most "
                + MAX_MAP_VALUE_LENGTH);
      }
    }
    return Optional.empty();
  }

  /** Pairs of (field name, value, bound): the first value longer than its bound. */
  private static Optional<Rejection> firstTooLong(Object... fieldValueBound) {
    for (int i = 0; i < fieldValueBound.length; i += 3) {
      String value = (String) fieldValueBound[i + 1];
      int bound = (Integer) fieldValueBound[i + 2];
      if (tooLong(value, bound)) {
        String field = (String) fieldValueBound[i];
        return reject(
            ErrorType.FIELD_TOO_LONG,
            field,
            field
                + " has "
                + value.codePointCount(0, value.length())
                + " characters (\""
                + preview(value)
                + "…\"); at most "
                + bound);
      }
    }
    return Optional.empty();
  }

  /** Longer than the bound in characters (code points, as Python counts them). */
  private static boolean tooLong(String value, int bound) {
    return value != null
        && value.length() > bound
        && value.codePointCount(0, value.length()) > bound;
  }

  private static String preview(String value) {
    return value.length() <= 32 ? value : value.substring(0, 32);
  }

  /**
   * An outcome that repeats an earlier one, found by sorting a copy (O(n log n), no boxing): the
   * smallest repeated value, named by the index of its second occurrence.
   */
  private static Optional<Rejection> firstDuplicate(ErrorType type, List<Long> outcomes) {
    long[] sorted = new long[outcomes.size()];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = outcomes.get(i);
    }
    Arrays.sort(sorted);
    int at = 1;
    while (at < sorted.length && sorted[at] != sorted[at - 1]) {
      at++;
    }
    if (at >= sorted.length) {
      return Optional.empty();
    }
    long repeated = sorted[at];
    int first = -1;
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) != repeated) {
        continue;
      }
      if (first < 0) {
        first = i;
      } else {
        return reject(
            type,
            "outcomes[" + i + "]",
            "outcomes["
                + i
                + "]: "
                + repeated
                + " repeats outcomes["
                + first
                + "]; each outcome must appear once");
      }
    }
    return Optional.empty();
  }

  private static Optional<Rejection> outOfRange(
      ErrorType type, int index, long outcome, int qubits) {
    return reject(
        type,
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
