package io.qmon.bench;

/**
 * What one timed phase measured.
 *
 * @param expected events published (= metric records expected)
 * @param received distinct epoch metric records read back before the deadline
 * @param seconds from the first send to the last expected record (or to the deadline)
 * @param endToEnd publish → metric record received, ms
 * @param jobInternal processed time − event time, ms
 * @param toAlert publish → alert received, ms, or null when no alert was emitted
 * @param meanJsd mean JSD of the records read (bits)
 * @param meanFidelity mean classical fidelity of the records read
 */
record PhaseResult(
    int expected,
    int received,
    double seconds,
    LatencySample.Summary endToEnd,
    LatencySample.Summary jobInternal,
    LatencySample.Summary toAlert,
    double meanJsd,
    double meanFidelity) {

  boolean complete() {
    return received == expected;
  }

  double eventsPerSecond() {
    return received / seconds;
  }
}
