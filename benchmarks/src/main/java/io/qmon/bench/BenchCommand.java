package io.qmon.bench;

import io.qmon.jobs.config.JobConfig;
import io.qmon.stack.EmbeddedStack;
import io.qmon.stack.StackSettings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * {@code qmon bench}: measures the monitoring job end to end on the embedded stack — sustained
 * throughput against the raw Kafka ceiling, latency at saturation and at a moderate paced rate,
 * heap — for 5-qubit and 12-qubit events, and compares with a PySpark baseline computing the same
 * metrics over the same circuit outputs with a Python UDF. Prints figures; asserts nothing.
 */
public final class BenchCommand {
  private BenchCommand() {}

  public static int run(BenchOptions options, PrintStream out) throws Exception {
    String session = UUID.randomUUID().toString().substring(0, 6);
    StackSettings settings = StackSettings.fromSystemProperties();
    out.printf(
        "qmon bench: %s, %d runs, job parallelism %d, %d cores available; starting the embedded"
            + " stack ...%n",
        options.workloads(),
        options.runs(),
        options.parallelism(),
        Runtime.getRuntime().availableProcessors());
    List<WorkloadBench.Result> results = new ArrayList<>();
    SparkBaseline baseline = options.skipBaseline() ? null : SparkBaseline.create(settings.home());
    long selfHeap;
    OptionalLong brokerHeap;
    try (EmbeddedStack stack = EmbeddedStack.start(settings)) {
      Map<String, String> job = new HashMap<>();
      job.put(JobConfig.GROUP_ID.key(), "qmon-bench-" + session);
      job.put(JobConfig.PARALLELISM.key(), Integer.toString(options.parallelism()));
      job.putAll(options.jobOverrides());
      stack.startMonitoringJob(stack.jobConfig(job));
      if (!options.jobOverrides().isEmpty()) {
        out.println("  job settings: " + options.jobOverrides());
      }
      for (Workload workload : options.workloads()) {
        WorkloadBench bench = new WorkloadBench(stack, options, workload, session, out);
        if (baseline != null && workload == Workload.FIVE_QUBITS) {
          try (SparkBaseline.Writer rows = baseline.input(workload)) {
            results.add(bench.run(rows, settings.partitions()));
          }
        } else {
          results.add(bench.run(CircuitOutputSink.NONE, settings.partitions()));
        }
      }
      selfHeap = HeapProbe.selfUsedAfterGc();
      brokerHeap = HeapProbe.childUsedAfterGc("kafka.Kafka");
    }
    BenchTable.throughput(results, out);
    BenchTable.latency(results, options, out);
    BenchTable.heap(selfHeap, brokerHeap, out);
    if (baseline != null) {
      results.stream()
          .filter(r -> r.workload() == Workload.FIVE_QUBITS)
          .findFirst()
          .ifPresentOrElse(
              r -> baseline.runAndPrint(r.saturated(), out),
              () -> out.println("\nPySpark baseline: skipped (it uses the 5q workload)"));
    }
    return 0;
  }
}
