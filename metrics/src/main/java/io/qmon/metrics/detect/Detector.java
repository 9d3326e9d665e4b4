package io.qmon.metrics.detect;

import java.io.Serializable;
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

  /** A fresh state for a new key. */
  S initialState();

  /**
   * Feeds one epoch, updating {@code state}; returns a decision only when the alert starts or ends.
   * Epochs without the watched metric leave the state unchanged.
   */
  Optional<AlertDecision> observe(S state, Observation observation);
}
