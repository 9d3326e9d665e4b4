package io.qmon.bench;

import java.io.PrintStream;
import java.util.List;
import java.util.OptionalLong;

/** Prints the benchmark's figures as compact tables. */
final class BenchTable {
  private BenchTable() {}

  static void throughput(List<WorkloadBench.Result> results, PrintStream out) {
    out.println();
    out.println(
        "Throughput — saturated: N pre-serialized events published as fast as possible until N"
            + " metric records are read back");
    out.printf(
        "%-16s %9s %8s %11s %16s %12s%n",
        "workload", "events", "wall s", "events/s", "Kafka ceiling/s", "e2e/ceiling");
    for (WorkloadBench.Result r : results) {
      PhaseResult s = r.saturated();
      out.printf(
          "%-16s %9s %8.2f %11.0f %16.0f %12.3f%n",
          name(r.workload()),
          count(s),
          s.seconds(),
          s.eventsPerSecond(),
          r.ceiling().eventsPerSecond(),
          s.eventsPerSecond() / r.ceiling().eventsPerSecond());
    }
  }

  static void latency(List<WorkloadBench.Result> results, BenchOptions options, PrintStream out) {
    out.println();
    out.println("Latency, ms (p50 / p99 / max)");
    out.printf(
        "%-28s %22s %22s %22s%n",
        "workload / phase", "publish → metric", "job (processed−event)", "publish → alert");
    for (WorkloadBench.Result r : results) {
      row(name(r.workload()) + " saturated", r.saturated(), out);
      row(name(r.workload()) + " paced " + options.rate(r.workload()) + "/s", r.paced(), out);
    }
  }

  static void heap(long selfBytes, OptionalLong brokerBytes, PrintStream out) {
    out.println();
    out.printf(
        "Heap used after GC: launcher JVM (Flink MiniCluster, producer, consumers) %d MB; Kafka"
            + " broker JVM %s%n",
        selfBytes >> 20,
        brokerBytes.isPresent()
            ? (brokerBytes.getAsLong() >> 20) + " MB"
            : "n/a (jcmd unavailable)");
  }

  private static void row(String label, PhaseResult phase, PrintStream out) {
    String incomplete = phase.complete() ? "" : "  (incomplete: " + count(phase) + ")";
    out.printf(
        "%-28s %22s %22s %22s%s%n",
        label,
        phase.endToEnd() == null ? "n/a" : phase.endToEnd().toString(),
        phase.jobInternal() == null ? "n/a" : phase.jobInternal().toString(),
        phase.toAlert() == null
            ? "n/a (no alerts emitted)"
            : phase.toAlert() + " (" + phase.toAlert().count() + ")",
        incomplete);
  }

  private static String count(PhaseResult phase) {
    return phase.complete()
        ? Integer.toString(phase.expected())
        : phase.received() + "/" + phase.expected();
  }

  private static String name(Workload workload) {
    return workload.label() + "/" + workload.shots() + " shots";
  }
}
