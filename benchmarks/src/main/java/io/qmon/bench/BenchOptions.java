package io.qmon.bench;

import io.qmon.cli.Cli;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

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
    return Cli.parse(new Arguments(), args).toOptions();
  }

  /**
   * The options of {@code qmon bench} as picocli declares them; the launcher mixes them into its
   * {@code bench} command.
   */
  @Command(name = "bench")
  public static final class Arguments {
    @Option(
        names = "--events",
        paramLabel = "<n>",
        converter = WholeNumber.class,
        defaultValue = "500000",
        description = "Events of the 5-qubit workload in the saturated run.")
    int events5q;

    @Option(
        names = "--events-12q",
        paramLabel = "<n>",
        converter = WholeNumber.class,
        defaultValue = "20000",
        description = "Events of the 12-qubit workload in the saturated run.")
    int events12q;

    @Option(
        names = "--workload",
        paramLabel = "5q|12q|all",
        defaultValue = "all",
        description = "Which workloads to run.")
    String workload;

    @Option(
        names = "--parallelism",
        paramLabel = "<n>",
        converter = WholeNumber.class,
        defaultValue = "2",
        description = "Parallelism of the monitoring job.")
    int parallelism;

    @Option(
        names = "--rate",
        paramLabel = "<per-second>",
        converter = WholeNumber.class,
        defaultValue = "2000",
        description = "Events per second of the 5-qubit paced (latency) run.")
    int rate5q;

    @Option(
        names = "--rate-12q",
        paramLabel = "<per-second>",
        converter = WholeNumber.class,
        defaultValue = "200",
        description = "Events per second of the 12-qubit paced run.")
    int rate12q;

    @Option(
        names = "--paced-s",
        paramLabel = "<seconds>",
        converter = WholeNumber.class,
        defaultValue = "10",
        description = "How long the paced run publishes, in seconds.")
    int pacedSeconds;

    @Option(
        names = "--runs",
        paramLabel = "<n>",
        converter = WholeNumber.class,
        defaultValue = "100",
        description = "Runs the events are spread over (keyed by run).")
    int runs;

    @Option(
        names = "--warmup-pct",
        paramLabel = "<percent>",
        converter = WholeNumber.class,
        defaultValue = "100",
        description =
            "Warm-up events, as a percentage of the saturated run's events, published through the"
                + " whole path before timing; 0: one epoch per run only.")
    int warmupPercent;

    @Option(names = "--skip-baseline", description = "Do not run the PySpark baseline.")
    boolean skipBaseline;

    @Option(
        names = "--job",
        paramLabel = "<key=value>",
        showDefaultValue = CommandLine.Help.Visibility.NEVER,
        description =
            "A monitoring job setting (a key of the job's configuration table), repeatable, e.g."
                + " --job job.delivery-guarantee=exactly-once.")
    Map<String, String> jobOverrides = new LinkedHashMap<>();

    /** The options, validated. */
    public BenchOptions toOptions() {
      return new BenchOptions(
          events5q,
          events12q,
          Workload.select(workload),
          parallelism,
          rate5q,
          rate12q,
          pacedSeconds,
          runs,
          warmupPercent,
          skipBaseline,
          jobOverrides);
    }
  }

  /** Whole numbers, with {@code _} allowed as a digit separator ({@code 500_000}). */
  static final class WholeNumber implements CommandLine.ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      try {
        return Integer.parseInt(value.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new CommandLine.TypeConversionException("needs a whole number, got '" + value + "'");
      }
    }
  }

  private static void positive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, got " + value);
    }
  }
}
