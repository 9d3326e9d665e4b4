package io.qmon.launcher.demo;

import io.qmon.producers.worker.SimulatedRunSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The demo's closing summary, and its exit status: 0 only when every epoch was scored. */
final class Summary {
  private Summary() {}

  static int print(
      OutputTail tail,
      List<SimulatedRunSpec> specs,
      int published,
      long startNanos,
      PrintStream out) {
    out.println();
    out.println("Summary");
    out.printf(
        "%-26s %6s %8s %10s %10s %12s%n",
        "run", "qubits", "epochs", "JSD first", "JSD final", "best (epoch)");
    Map<String, OutputTail.RunView> runs = tail.runs();
    for (SimulatedRunSpec spec : specs) {
      OutputTail.RunView view = runs.get(spec.runId());
      if (view == null) {
        out.printf("%-26s %6d %8s  no metric records%n", spec.runId(), spec.qubits(), "0");
        continue;
      }
      out.printf(
          "%-26s %6d %8d %10.4f %10.4f %7.4f (%d)%n",
          spec.runId(),
          spec.qubits(),
          view.epochs.size(),
          view.firstJsd,
          view.jsd,
          view.bestJsd,
          view.bestEpoch);
    }
    out.printf("alerts fired, by detector: %s%n", tail.alertsByDetector());
    long first = tail.firstMetricAtNanos();
    out.printf(
        "epochs published: %d, metric records: %d, dead letters: %d %s%n",
        published, tail.metricRecords(), tail.deadLetterCount(), tail.deadLettersByType());
    if (first > 0) {
      out.printf(
          "time from start to first metric record: %.1f s%n",
          DemoCommand.seconds(first - startNanos));
    }
    if (tail.metricRecords() < published) {
      out.printf(
          "FAILED: %d of %d epochs were not scored within the wait%n",
          published - tail.metricRecords(), published);
      return 1;
    }
    if (tail.deadLetterCount() < DemoCommand.MALFORMED_EVENTS) {
      out.printf(
          "FAILED: %d malformed events were sent but only %d reached %s%n",
          DemoCommand.MALFORMED_EVENTS, tail.deadLetterCount(), "qgm.dlq");
      return 1;
    }
    out.println("OK: every epoch was scored and every malformed event was dead-lettered.");
    return 0;
  }
}
