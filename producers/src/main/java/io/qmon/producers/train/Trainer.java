package io.qmon.producers.train;

/**
 * A training run that advances one epoch at a time, so a worker thread can publish every epoch as
 * it happens and stop between epochs.
 *
 * <p>Runs are deterministic: the same configuration and seed give the same epochs. Implementations
 * are not thread-safe; one thread drives a run.
 */
public interface Trainer {

  /** Trains one epoch and returns what it produced. */
  EpochResult nextEpoch();

  /** Number of epochs completed so far. */
  int epoch();

  /**
   * Runs {@code epochs} more epochs, handing each to {@code listener}. Checks for interruption
   * before every epoch.
   *
   * @throws InterruptedException when the thread is interrupted; the epochs already handed over
   *     stand, and the run can be resumed with another call
   */
  default void run(int epochs, EpochListener listener) throws InterruptedException {
    if (epochs < 0) {
      throw new IllegalArgumentException("epochs must be >= 0, got " + epochs);
    }
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null");
    }
    for (int i = 0; i < epochs; i++) {
      if (Thread.interrupted()) {
        throw new InterruptedException("training interrupted after epoch " + epoch());
      }
      listener.onEpoch(nextEpoch());
    }
  }
}
