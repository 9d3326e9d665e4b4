package io.qmon.metrics.detect;

import java.io.Serializable;
import java.util.Map;
import java.util.Optional;

/**
 * An anomaly detector over a stream of epochs. The detector holds only configuration and a clock;
 * everything that changes lives in its state object {@code S}, a plain {@link Serializable} class,
 * so a stream processor can keep one per key (run, metric) and checkpoint it.
 *
 * @param <S> the mutable state, created by {@link #initialState()} and updated by {@link #observe}
 */
public interface Detector<S extends Serializable> {
  /** The name alerts carry, e.g. {@code jsd-zscore}. */
  String name();

  /** The metric this detector watches. */
  String metric();

  /**
   * The detector's tunable parameters by the names {@code job.detectors} gives them (e.g. {@code
   * window}, {@code fire-after}), in a fixed order: the job's catalog takes its defaults from a
   * default-built detector, so the library is their one source. What a selection does not tune
   * (metric, direction, severity, a chart's σ floor) is not listed.
   */
  Map<String, Number> parameters();

  /** A fresh state for a new key. */
  S initialState();

  /**
   * Feeds one epoch, updating {@code state}; returns a decision only when the alert starts or ends.
   * Epochs without the watched metric leave the state unchanged.
   */
  Optional<AlertDecision> observe(S state, Observation observation);
}
