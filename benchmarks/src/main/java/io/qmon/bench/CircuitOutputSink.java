package io.qmon.bench;

/**
 * Receives every circuit output the benchmark generates, e.g. to give the baseline the same rows.
 */
interface CircuitOutputSink {
  /** Discards everything. */
  CircuitOutputSink NONE = (runId, epoch, outcomes, counts) -> {};

  void accept(String runId, int epoch, long[] outcomes, long[] counts);
}
