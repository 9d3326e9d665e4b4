package io.qmon.schemas;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/** Kafka topic names of DESIGN.md; producers, jobs, sinks and tests all use these constants. */
public final class Topics {
  /** Run lifecycle events (RunEvent), key = run_id. */
  public static final String RUNS = "qgm.runs";

  /** Per-epoch shot counts (ShotCounts), key = run_id. */
  public static final String SHOTS = "qgm.shots";

  /** Optional statevector snapshots (StateSnapshot), key = run_id. */
  public static final String STATES = "qgm.states";

  /** Target distributions (TargetDistribution), compacted, key = target_id. */
  public static final String TARGETS = "qgm.targets";

  /** Metric records (MetricRecord), key = record_id. */
  public static final String METRICS = "qgm.metrics";

  /** Sweep configurations aggregated over repeats (SweepSummary), compacted. */
  public static final String SWEEPS = "qgm.sweeps";

  /** Anomaly alerts (Alert), key = run_id. */
  public static final String ALERTS = "qgm.alerts";

  /** Advice back to the training loop (Advice), key = run_id. */
  public static final String ADVICE = "qgm.advice";

  /** Every rejected input (DeadLetter) with its reason. */
  public static final String DLQ = "qgm.dlq";

  /** Every topic the platform uses. */
  public static final List<String> ALL =
      List.of(RUNS, SHOTS, STATES, TARGETS, METRICS, SWEEPS, ALERTS, DLQ, ADVICE);

  /** Topics that keep only the latest value per key. */
  public static final List<String> COMPACTED = List.of(TARGETS, SWEEPS);

  /** The value schema of every topic (subject {@code <topic>-value}). */
  public static final Map<String, Schema> VALUE_SCHEMAS =
      Map.of(
          RUNS, RunEvent.SCHEMA$,
          SHOTS, ShotCounts.SCHEMA$,
          STATES, StateSnapshot.SCHEMA$,
          TARGETS, TargetDistribution.SCHEMA$,
          METRICS, MetricRecord.SCHEMA$,
          SWEEPS, SweepSummary.SCHEMA$,
          ALERTS, Alert.SCHEMA$,
          DLQ, DeadLetter.SCHEMA$,
          ADVICE, Advice.SCHEMA$);

  private Topics() {}
}
