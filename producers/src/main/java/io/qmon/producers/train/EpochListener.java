package io.qmon.producers.train;

/**
 * Receives each epoch as soon as it is done; a publisher implements it to send the epoch's shots.
 */
@FunctionalInterface
public interface EpochListener {
  void onEpoch(EpochResult result);
}
