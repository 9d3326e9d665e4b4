package io.qmon.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of {@code qmon bench}.
 *
 * @param events5q events of the 5-qubit workload in the saturated run (the PySpark baseline reads
 *     the first 100,000)
 * @param events12q events of the 12-qubit workload in the saturated run
 * @param workloads which workloads to run
 * @param parallelism parallelism of the monitoring job
 * @param rate5q events per second of the 5-qubit paced (latency) run
 * @param rate12q events per second of the 12-qubit paced run (below its saturated throughput)
 * @param pacedSeconds how long the paced run publishes
 * @param runs runs the events are spread over (keyed by run)
 * @param warmupPercent events published through the whole path before the timed runs, as a
 *     percentage of the saturated run's events, so the JIT (job and broker) is warm when timing
 *     starts; 0 warms up with one epoch per run only
 * @param skipBaseline do not run the PySpark baseline
 * @param jobOverrides job settings ({@code --job key=value}, repeatable), e.g. {@code
 *     job.delivery-guarantee=exactly-once}
 */
public record BenchOptions(
    int events5q,
    int events12q,
    List<Workload> workloads,
    int parallelism,
    int rate5q,
    int rate12q,
    int pacedSeconds,
    int runs,
    int warmupPercent,
    boolean skipBaseline,
    Map<String, String> jobOverrides) {

  private static final String KNOWN =
      "--events, --events-12q, --workload 5q|12q|all, --parallelism, --rate, --rate-12q, --paced-s,"
          + " --runs, --warmup-pct,"
          + " --skip-baseline, --job key=value";

  public BenchOptions {
    positive("--events", events5q);
    positive("--events-12q", events12q);
    positive("--parallelism", parallelism);
    positive("--rate", rate5q);
    positive("--rate-12q", rate12q);
    positive("--paced-s", pacedSeconds);
    positive("--runs", runs);
    if (warmupPercent < 0) {
      throw new IllegalArgumentException("--warmup-pct must be >= 0, got " + warmupPercent);
    }
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("--workload selects no workload");
    }
    jobOverrides = Map.copyOf(jobOverrides);
  }

  /** Saturated-run events of a workload. */
  public int events(Workload workload) {
    return workload == Workload.FIVE_QUBITS ? events5q : events12q;
  }

  /** Warm-up events of a workload, beyond the first epoch of every run. */
  public int warmupEvents(Workload workload) {
    return (int) ((long) events(workload) * warmupPercent / 100);
  }

  /** Events per second of a workload's paced run. */
  public int rate(Workload workload) {
    return workload == Workload.FIVE_QUBITS ? rate5q : rate12q;
  }

  /** Events of a workload's paced run. */
  public int pacedEvents(Workload workload) {
    return (int) Math.min(Integer.MAX_VALUE, (long) rate(workload) * pacedSeconds);
  }

  /** Parses the command line; unknown options and bad numbers name themselves. */
  public static BenchOptions parse(String[] args) {
    int events5q = 500_000;
    int events12q = 20_000;
    List<Workload> workloads = List.of(Workload.values());
    int parallelism = 2;
    int rate5q = 2_000;
    int rate12q = 200;
    int pacedSeconds = 10;
    int runs = 100;
    int warmupPercent = 100;
    boolean skipBaseline = false;
    Map<String, String> jobOverrides = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--skip-baseline")) {
        skipBaseline = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + arg + " needs a value");
      }
      String value = args[++i];
      switch (arg) {
        case "--events" -> events5q = number(arg, value);
        case "--events-12q" -> events12q = number(arg, value);
        case "--workload" -> workloads = Workload.select(value);
        case "--parallelism" -> parallelism = number(arg, value);
        case "--rate" -> rate5q = number(arg, value);
        case "--rate-12q" -> rate12q = number(arg, value);
        case "--paced-s" -> pacedSeconds = number(arg, value);
        case "--runs" -> runs = number(arg, value);
        case "--warmup-pct" -> warmupPercent = number(arg, value);
        case "--job" -> {
          int eq = value.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--job needs key=value, got '" + value + "'");
          }
          jobOverrides.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default ->
            throw new IllegalArgumentException("unknown option " + arg + "; known: " + KNOWN);
      }
    }
    return new BenchOptions(
        events5q,
        events12q,
        workloads,
        parallelism,
        rate5q,
        rate12q,
        pacedSeconds,
        runs,
        warmupPercent,
        skipBaseline,
        jobOverrides);
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "option " + option + " needs a whole number, got '" + value + "'");
    }
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, got " + value);
    }
  }
}
