package io.qmon.launcher.sweep;

import io.qmon.producers.sweep.RunReport;
import io.qmon.schemas.MetricRecord;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints one line per sweep configuration: runs that finished and were scored, and the mean,
 * standard deviation, minimum and maximum over repeats of the final epoch's JSD (bits) as the
 * monitoring job computed it, with the mean final fidelity.
 */
final class SweepSummary {
  private SweepSummary() {}

  /** Prints the table; returns the number of runs that failed or were not scored. */
  static int print(List<RunReport> reports, Map<String, MetricRecord> finals, PrintStream out) {
    Map<String, List<RunReport>> byConfig = new LinkedHashMap<>();
    reports.forEach(r -> byConfig.computeIfAbsent(r.configId(), k -> new ArrayList<>()).add(r));
    int width = byConfig.keySet().stream().mapToInt(String::length).max().orElse(10);
    out.printf(
        "%-" + width + "s  %6s  %9s  %8s  %8s  %8s  %9s%n",
        "config_id",
        "scored",
        "jsd mean",
        "jsd sd",
        "jsd min",
        "jsd max",
        "fidelity");
    int missing = 0;
    for (var config : byConfig.entrySet()) {
      List<Double> jsd = new ArrayList<>();
      double fidelity = 0;
      for (RunReport run : config.getValue()) {
        MetricRecord last = finals.get(run.runId());
        if (!run.succeeded() || last == null) {
          missing++;
          continue;
        }
        jsd.add(last.getMetrics().get("jsd"));
        fidelity += last.getMetrics().get("fidelity");
      }
      if (jsd.isEmpty()) {
        out.printf(
            "%-" + width + "s  %2d/%-3d  no final metric record%n",
            config.getKey(),
            0,
            config.getValue().size());
        continue;
      }
      double mean = jsd.stream().mapToDouble(d -> d).average().orElseThrow();
      double sd =
          jsd.size() < 2
              ? 0
              : Math.sqrt(
                  jsd.stream().mapToDouble(d -> (d - mean) * (d - mean)).sum() / (jsd.size() - 1));
      out.printf(
          "%-" + width + "s  %2d/%-3d  %9.4f  %8.4f  %8.4f  %8.4f  %9.4f%n",
          config.getKey(),
          jsd.size(),
          config.getValue().size(),
          mean,
          sd,
          jsd.stream().mapToDouble(d -> d).min().orElseThrow(),
          jsd.stream().mapToDouble(d -> d).max().orElseThrow(),
          fidelity / jsd.size());
    }
    for (RunReport run : reports) {
      if (!run.succeeded()) {
        out.println("run " + run.runId() + " failed: " + run.error());
      }
    }
    return missing;
  }
}
