package io.qmon.launcher.bench;

import java.util.List;

/**
 * Options of {@code qmon bench}.
 *
 * @param events5q events of the 5-qubit workload in the saturated run (also the PySpark rows)
 * @param events12q events of the 12-qubit workload in the saturated run
 * @param workloads which workloads to run
 * @param parallelism parallelism of the monitoring job
 * @param rate events per second of the paced (latency) run
 * @param pacedSeconds how long the paced run publishes
 * @param runs runs the events are spread over (keyed by run)
 * @param skipBaseline do not run the PySpark baseline
 */
public record BenchOptions(
    int events5q,
    int events12q,
    List<Workload> workloads,
    int parallelism,
    int rate,
    int pacedSeconds,
    int runs,
    boolean skipBaseline) {

  private static final String KNOWN =
      "--events, --events-12q, --workload 5q|12q|all, --parallelism, --rate, --paced-s, --runs,"
          + " --skip-baseline";

  public BenchOptions {
    positive("--events", events5q);
    positive("--events-12q", events12q);
    positive("--parallelism", parallelism);
    positive("--rate", rate);
    positive("--paced-s", pacedSeconds);
    positive("--runs", runs);
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("--workload selects no workload");
    }
  }

  /** Saturated-run events of a workload. */
  public int events(Workload workload) {
    return workload == Workload.FIVE_QUBITS ? events5q : events12q;
  }

  /** Events of the paced run. */
  public int pacedEvents() {
    return (int) Math.min(Integer.MAX_VALUE, (long) rate * pacedSeconds);
  }

  /** Parses the command line; unknown options and bad numbers name themselves. */
  public static BenchOptions parse(String[] args) {
    int events5q = 100_000;
    int events12q = 20_000;
    List<Workload> workloads = List.of(Workload.values());
    int parallelism = 2;
    int rate = 2_000;
    int pacedSeconds = 10;
    int runs = 100;
    boolean skipBaseline = false;
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
        case "--rate" -> rate = number(arg, value);
        case "--paced-s" -> pacedSeconds = number(arg, value);
        case "--runs" -> runs = number(arg, value);
        default ->
            throw new IllegalArgumentException("unknown option " + arg + "; known: " + KNOWN);
      }
    }
    return new BenchOptions(
        events5q, events12q, workloads, parallelism, rate, pacedSeconds, runs, skipBaseline);
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
