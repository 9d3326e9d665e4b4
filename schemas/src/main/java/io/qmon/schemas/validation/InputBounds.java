package io.qmon.schemas.validation;

/**
 * The bounds every input event must stay within, stated once: {@link EventValidator} enforces them
 * at the job's edge and in the Java SDK, the Python SDK mirrors them ({@code
 * producers/python/qmon_sdk/validation.py}), and the README lists them. Each protects the shared
 * job from one run: no single event can make scoring, state or output records unbounded.
 */
public final class InputBounds {
  /** Ids: run_id, producer_id, producer_session, target_id, config_id, circuit (characters). */
  public static final int MAX_ID_LENGTH = 256;

  /** Names of a run start: experiment, model_type, ansatz, backend, optimizer, noise_model. */
  public static final int MAX_NAME_LENGTH = 256;

  /** Free text: a target's description, a finish event's message (characters). */
  public static final int MAX_TEXT_LENGTH = 4096;

  /** Entries of each of params, tags and optimizer_settings. */
  public static final int MAX_MAP_ENTRIES = 256;

  /** A key of params, tags or optimizer_settings (characters). */
  public static final int MAX_MAP_KEY_LENGTH = 256;

  /** A value of params, tags or optimizer_settings (characters). */
  public static final int MAX_MAP_VALUE_LENGTH = 1024;

  /** Attachments of a run start (files such as environment.txt, circuit.qasm). */
  public static final int MAX_ATTACHMENTS = 16;

  /**
   * An attachment's file name (characters): 1 to this many of {@code [A-Za-z0-9._-]}, not starting
   * with a dot, so it is one safe relative file name on every file system and artifact store.
   */
  public static final int MAX_ATTACHMENT_NAME_LENGTH = 128;

  /**
   * UTF-8 bytes of all of a run start's attachments together: 256 KiB keeps the start event and its
   * RUN_OPENED record well under Kafka's default 1 MB record.
   */
  public static final int MAX_ATTACHMENT_BYTES = 256 * 1024;

  /** Losses per event (each becomes a {@code loss.<name>} metric). */
  public static final int MAX_LOSSES = 32;

  /** A loss name (characters). */
  public static final int MAX_LOSS_NAME_LENGTH = 64;

  /** Largest epoch number (and a finish event's epoch count). */
  public static final int MAX_EPOCH = 1_000_000_000;

  /** Largest shots per event or run: far beyond any device, small enough to add without care. */
  public static final long MAX_SHOTS = 1_000_000_000_000L;

  /**
   * Distinct outcomes per shot event; an event also has at most min(shots, 2^qubits) of them. 2^16
   * outcomes are 1 MiB of Avro, Kafka's default largest record.
   */
  public static final int MAX_OUTCOMES = 1 << 16;

  /** Outcomes of a target distribution: a dense target over at most 20 qubits. */
  public static final int MAX_TARGET_OUTCOMES = 1 << 20;

  /** Qubits of a target state ({@code amplitudes_re/_im}, dense over 2^qubits basis states). */
  public static final int MAX_STATE_QUBITS = 20;

  /** Earliest accepted event_time: 2000-01-01T00:00:00Z (epoch millis). */
  public static final long MIN_EVENT_TIME_MS = 946_684_800_000L;

  /** Latest accepted event_time: 9999-12-31T23:59:59.999Z (the job's clock bounds it further). */
  public static final long MAX_EVENT_TIME_MS = 253_402_300_799_999L;

  /** Tolerance of a target's probability sum and a target state's squared norm. */
  public static final double PROBABILITY_TOLERANCE = 1e-6;

  private InputBounds() {}
}
