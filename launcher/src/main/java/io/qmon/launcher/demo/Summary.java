package io.qmon.launcher.demo;

import io.qmon.metrics.MetricNames;
import io.qmon.producers.worker.SimulatedRunSpec;
import io.qmon.schemas.SweepSummary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's closing summary, and its exit status: 0 only when every epoch was scored, every
 * malformed event dead-lettered and every sweep configuration aggregated over all its repeats.
 */
final class Summary {
  private static final String FINAL_JSD = "final_" + MetricNames.JSD;

  private Summary() {}

  /** Repeats per sweep configuration among the specs, by config id. */
  static Map<String, Integer> sweepRepeats(List<SimulatedRunSpec> specs) {
    Map<String, Integer> repeats = new TreeMap<>();
    for (SimulatedRunSpec spec : specs) {
      if (spec.configId() != null) {
        repeats.merge(spec.configId(), 1, Integer::sum);
      }
    }
    return repeats;
  }

  /** Configurations whose summary on qgm.sweeps does not aggregate all their repeats yet. */
  static List<String> missingSweeps(OutputTail tail, Map<String, Integer> repeats) {
    Map<String, SweepSummary> seen = tail.sweeps();
    List<String> missing = new ArrayList<>();
    repeats.forEach(
        (configId, expected) -> {
          SweepSummary summary = seen.get(configId);
          if (summary == null || summary.getRuns() < expected) {
            missing.add(configId);
          }
        });
    return missing;
  }

  /**
   * True once the summaries read of the demo's configurations show one ranking: each counts all of
   * them among the experiment's configurations and no two share a rank. The job emits a re-ranked
   * configuration beside the update that moved it, on another partition, so the last repeat's
   * summary can be read before the ranking it changed.
   */
  static boolean rankingSettled(Map<String, SweepSummary> seen, Map<String, Integer> repeats) {
    Set<Integer> ranks = new HashSet<>();
    for (String configId : repeats.keySet()) {
      SweepSummary summary = seen.get(configId);
      if (summary == null
          || summary.getConfigurations() < repeats.size()
          || !ranks.add(summary.getRank())) {
        return false;
      }
    }
    return true;
  }

  /** The sweep's configurations as the job ranked them: μ, σ and 95% CI of the final JSD. */
  private static void printSweep(OutputTail tail, Map<String, Integer> repeats, PrintStream out) {
    Map<String, SweepSummary> seen = tail.sweeps();
    List<SweepSummary> rows = new ArrayList<>();
    repeats
        .keySet()
        .forEach(configId -> Optional.ofNullable(seen.get(configId)).ifPresent(rows::add));
    rows.sort(Comparator.comparingInt(SweepSummary::getRank));
    out.printf(
        "sweep: %d healthy runs as %d configurations (job's qgm.sweeps, ranked by mean final JSD"
            + " among the experiment's configurations)%n",
        repeats.values().stream().mapToInt(Integer::intValue).sum(), repeats.size());
    out.printf(
        "%-4s %-30s %4s %10s %10s %21s%n",
        "rank", "configuration", "runs", "JSD mean", "JSD std", "95% CI");
    for (SweepSummary row : rows) {
      Map<String, Double> stats = row.getStatistics();
      out.printf(
          "%-4s %-30s %4d %10.4f %10s %21s%n",
          row.getRank() + "/" + row.getConfigurations(),
          row.getConfigId(),
          row.getRuns(),
          stats.getOrDefault(FINAL_JSD + "_mean", Double.NaN),
          stats.containsKey(FINAL_JSD + "_std")
              ? String.format("%.4f", stats.get(FINAL_JSD + "_std"))
              : "-",
          stats.containsKey(FINAL_JSD + "_ci_low")
              ? String.format(
                  "[%.4f, %.4f]",
                  stats.get(FINAL_JSD + "_ci_low"), stats.get(FINAL_JSD + "_ci_high"))
              : "-");
    }
  }

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
    Map<String, Integer> repeats = sweepRepeats(specs);
    if (!repeats.isEmpty()) {
      printSweep(tail, repeats, out);
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
    List<String> missing = missingSweeps(tail, repeats);
    if (!missing.isEmpty()) {
      out.printf(
          "FAILED: the job published no summary over all the repeats of %s on qgm.sweeps within"
              + " the wait%n",
          missing);
      return 1;
    }
    out.println(
        "OK: every epoch was scored, every malformed event was dead-lettered and every sweep"
            + " configuration was aggregated.");
    return 0;
  }
}
