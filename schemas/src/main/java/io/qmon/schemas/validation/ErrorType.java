package io.qmon.schemas.validation;

/**
 * Every reason an input can be refused, one stable code each: the {@code error_type} of a dead
 * letter on {@code qgm.dlq}, the name of its {@code dead_letters.<error_type>} counter, and the
 * code the Java and Python SDKs attach to the events they refuse before sending. The names are a
 * public contract: add codes, never rename one ({@code producers/python/qmon_sdk/validation.py}
 * mirrors this list, and a test fails when the two drift).
 */
public enum ErrorType {
  // Bytes that do not decode (DecodeInput, ConfluentAvroSerde).
  /** Not a Confluent-framed Avro record: bad magic byte, truncated, Avro bounds exceeded. */
  UNREADABLE,
  /** The frame names a schema id the registry does not know (404). */
  UNKNOWN_SCHEMA,
  /** The schema id is another record type, or not an Avro schema at all. */
  WRONG_SCHEMA,
  /** The registry answered this record's schema id with an error while it answered others. */
  REGISTRY_UNAVAILABLE,

  // Fields of one event (EventValidator).
  /** run_id is empty. */
  MISSING_RUN_ID,
  /** producer_id is empty. */
  MISSING_PRODUCER_ID,
  /** target_id of a run start or a target is empty. */
  MISSING_TARGET_ID,
  /** seq is negative. */
  INVALID_SEQ,
  /**
   * epoch (or a finish event's epoch count) is negative or above the bound, or (decided by the job)
   * too far beyond its run's last scored epoch.
   */
  INVALID_EPOCH,
  /** event_time is before 2000-01-01 or past the year 9999. */
  INVALID_EVENT_TIME,
  /** qubits outside [1, 63]. */
  INVALID_QUBITS,
  /** shots not positive or above the bound. */
  INVALID_SHOTS,
  /** A run start that cannot be right: negative repetitions or repeat index, empty experiment. */
  INVALID_RUN_START,
  /** outcomes and counts do not pair up, or their sum overflows a long. */
  INVALID_COUNTS,
  /** A count below zero. */
  NEGATIVE_COUNT,
  /** The counts do not add up to the shots. */
  COUNTS_NOT_SUMMING_TO_SHOTS,
  /** An outcome does not fit in the qubits. */
  OUTCOME_OUT_OF_RANGE,
  /** One outcome listed twice in one event. */
  DUPLICATE_OUTCOME,
  /** A loss without a name, or not finite. */
  NON_FINITE_LOSS,
  /** A target that cannot be scored against: probabilities, value range, outcomes, state. */
  INVALID_TARGET,
  /** A state snapshot that is not a normalised state of its qubits. */
  INVALID_STATE,
  /** A string longer than its bound (ids, names, keys, values). */
  FIELD_TOO_LONG,
  /** A list or map with more entries than its bound (outcomes, losses, params, tags). */
  TOO_MANY_ENTRIES,

  // Decided by the job against time and the run's state.
  /** event_time further ahead of the job's clock than the configured tolerance. */
  FUTURE_EVENT_TIME,
  /** event_time too far behind its run's own progress. */
  LATE_EVENT,
  /** The event's qubits differ from its run's start or target. */
  QUBITS_MISMATCH,
  /** An epoch below one already scored for its run. */
  EPOCH_BACKWARDS,
  /** An event for a run that already closed. */
  RUN_CLOSED,
  /** The run's start or target did not arrive in time. */
  PENDING_TIMEOUT,
  /** Too many events waiting for the run's start or target. */
  PENDING_OVERFLOW,
  /** The run went silent before this epoch could be scored. */
  RUN_STALLED,
  /** Scoring threw: the event is dead-lettered with the exception's message, the job goes on. */
  SCORING_FAILED
}
