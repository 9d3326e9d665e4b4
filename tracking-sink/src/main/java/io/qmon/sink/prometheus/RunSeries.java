package io.qmon.sink.prometheus;

import io.qmon.metrics.MetricNames;
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
 * @param floor whether the metric has a shot-noise floor series
 */
public record RunSeries(String metric, String base, String unit, String help, boolean floor) {
  /** Every exported metric of EPOCH and STATE records, one gauge (and one floor gauge) each. */
  public static final List<RunSeries> ALL =
      List.of(
          epoch(MetricNames.JSD, "jsd", "bits", "Jensen-Shannon divergence target vs generated"),
          epoch(MetricNames.KL, "kl_divergence", "bits", "KL(target||generated), smoothed"),
          epoch(MetricNames.FIDELITY, "fidelity", "ratio", "Classical (Hellinger) fidelity"),
          epoch(MetricNames.INFIDELITY, "infidelity", "ratio", "One minus classical fidelity"),
          epoch(MetricNames.HELLINGER, "hellinger_distance", "ratio", "Hellinger distance"),
          epoch(MetricNames.TV, "total_variation", "ratio", "Total variation distance"),
          epoch(MetricNames.ENTROPY_BITS, "entropy", "bits", "Shannon entropy of generated"),
          epoch(
              MetricNames.ENTROPY_NORMALISED,
              "entropy_normalised",
              "ratio",
              "Entropy divided by qubits"),
          epoch(MetricNames.COVERAGE, "mode_coverage", "ratio", "Share of target modes hit"),
          epoch(MetricNames.KS, "ks_statistic", "ratio", "Kolmogorov-Smirnov statistic"),
          epoch(MetricNames.W1, "wasserstein1", "distance", "Wasserstein-1 over ordered outcomes"),
          state(
              MetricNames.ENTANGLEMENT_HALF,
              "entanglement_entropy_half",
              "bits",
              "Von Neumann entropy of the half cut of the latest state snapshot"),
          state(
              MetricNames.ENTANGLEMENT_SINGLE_MEAN,
              "entanglement_entropy_single_mean",
              "bits",
              "Mean von Neumann entropy of the single-qubit cuts of the latest state snapshot"),
          state(
              MetricNames.MEYER_WALLACH,
              "meyer_wallach",
              "ratio",
              "Meyer-Wallach global entanglement Q of the latest state snapshot"),
          state(
              MetricNames.STATE_FIDELITY,
              "state_fidelity",
              "ratio",
              "Fidelity of the latest state snapshot to the target state"));

  private static final Map<String, RunSeries> BY_METRIC =
      ALL.stream().collect(Collectors.toUnmodifiableMap(RunSeries::metric, Function.identity()));

  private static RunSeries epoch(String metric, String base, String unit, String help) {
    return new RunSeries(metric, base, unit, help, true);
  }

  private static RunSeries state(String metric, String base, String unit, String help) {
    return new RunSeries(metric, base, unit, help, false);
  }

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
