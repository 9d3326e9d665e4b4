package io.qmon.launcher.demo;

import io.qmon.producers.worker.SimulatedRunSpec;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** The demo's closing summary, and its exit status: 0 only when every epoch was scored. */
final class Summary {
  private Summary() {}

  /**
   * Which runs raised WARNING-or-above alerts (the healthy ones should not; the faulty one should,
   * soon after its fault), and the advice each run got, with what stopping then would have saved.
   */
  private static void printAlertsAndAdvice(
      OutputTail tail,
      List<SimulatedRunSpec> specs,
      String faultyRunId,
      int faultEpoch,
      PrintStream out) {
    Map<String, OutputTail.RunView> runs = tail.runs();
    int healthy = 0;
    int healthyWithWarnings = 0;
    for (SimulatedRunSpec spec : specs) {
      OutputTail.RunView view = runs.get(spec.runId());
      List<String> warnings = view == null ? List.of() : List.copyOf(view.warnings);
      if (spec.runId().equals(faultyRunId)) {
        out.printf(
            "injected fault: %s collapses to one mode from epoch %d; WARNING-or-above alerts: %s%n",
            spec.runId(), faultEpoch, warnings.isEmpty() ? "none (missed)" : warnings);
      } else {
        healthy++;
        if (!warnings.isEmpty()) {
          healthyWithWarnings++;
          out.printf("healthy run %s raised %s%n", spec.runId(), warnings);
        }
      }
    }
    out.printf(
        "healthy runs with WARNING-or-above alerts: %d of %d%n", healthyWithWarnings, healthy);
    for (SimulatedRunSpec spec : specs) {
      OutputTail.RunView view = runs.get(spec.runId());
      if (view == null) {
        continue;
      }
      for (io.qmon.schemas.Advice a : view.advice) {
        if (a.getKind() == io.qmon.schemas.AdviceKind.CONVERGED_AT_NOISE_FLOOR) {
          out.printf(
              "advice: %s converged at the noise floor at epoch %d (median JSD %.4f of epochs"
                  + " %d-%d within the 99%% floor %.4f at %d shots): stopping then would have"
                  + " saved %d of %d epochs, %,d shots%n",
              spec.runId(),
              a.getEpoch(),
              a.getLevel(),
              a.getSinceEpoch(),
              a.getEpoch(),
              a.getFloor(),
              a.getShotsPerEpoch(),
              a.getEpochsSaved(),
              a.getMaxEpochs() == null ? 0 : a.getMaxEpochs(),
              a.getShotsSaved());
        } else {
          out.printf(
              "advice: %s %s at epoch %d%s: %s%n",
              spec.runId(), a.getKind(), a.getEpoch(), a.getStop() ? " (stop)" : "", a.getReason());
        }
      }
    }
  }

  static int print(
      OutputTail tail,
      List<SimulatedRunSpec> specs,
      String faultyRunId,
      int faultEpoch,
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
    printAlertsAndAdvice(tail, specs, faultyRunId, faultEpoch, out);
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
