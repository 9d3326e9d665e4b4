package io.qmon.sink.prometheus;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How a metric of a {@code MetricRecord} is exported: the Prometheus series of its value and of its
 * shot-noise floor. Names follow the Prometheus conventions: {@code qmon_run_} prefix, the unit as
 * the suffix ({@code _bits}, {@code _ratio} for quantities in [0, 1]).
 *
 * @param metric the key in {@code MetricRecord.metrics} (io.qmon.metrics.MetricNames)
 * @param base the series name between prefix and unit
 * @param unit the unit suffix
 * @param help what the series measures
 */
public record RunSeries(String metric, String base, String unit, String help) {
  /** Every exported metric, one gauge (and one floor gauge) each. */
  public static final List<RunSeries> ALL =
      List.of(
          new RunSeries("jsd", "jsd", "bits", "Jensen-Shannon divergence target vs generated"),
          new RunSeries("kl", "kl_divergence", "bits", "KL(target||generated), smoothed"),
          new RunSeries("fidelity", "fidelity", "ratio", "Classical (Hellinger) fidelity"),
          new RunSeries("infidelity", "infidelity", "ratio", "One minus classical fidelity"),
          new RunSeries("hellinger", "hellinger_distance", "ratio", "Hellinger distance"),
          new RunSeries("tv", "total_variation", "ratio", "Total variation distance"),
          new RunSeries("entropy_bits", "entropy", "bits", "Shannon entropy of generated"),
          new RunSeries(
              "entropy_normalised", "entropy_normalised", "ratio", "Entropy divided by qubits"),
          new RunSeries("coverage", "mode_coverage", "ratio", "Share of target modes hit"),
          new RunSeries("ks", "ks_statistic", "ratio", "Kolmogorov-Smirnov statistic"),
          new RunSeries("w1", "wasserstein1", "distance", "Wasserstein-1 over ordered outcomes"));

  private static final Map<String, RunSeries> BY_METRIC =
      ALL.stream().collect(Collectors.toUnmodifiableMap(RunSeries::metric, Function.identity()));

  /** The series of a record's metric key, if it is exported. */
  public static Optional<RunSeries> forMetric(String metric) {
    return Optional.ofNullable(BY_METRIC.get(metric));
  }

  /** Name of the gauge holding the latest value. */
  public String valueName() {
    return "qmon_run_" + base + "_" + unit;
  }

  /** Name of the gauge holding the latest shot-noise floor. */
  public String floorName() {
    return "qmon_run_" + base + "_noise_floor_" + unit;
  }
}
