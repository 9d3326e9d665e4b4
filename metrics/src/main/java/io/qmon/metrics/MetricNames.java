package io.qmon.metrics;

import java.util.List;

/** Names of the metrics in a {@link MetricSet}, as they appear in records, gauges and alerts. */
public final class MetricNames {
  public static final String JSD = "jsd";
  public static final String KL = "kl";
  public static final String FIDELITY = "fidelity";
  public static final String INFIDELITY = "infidelity";
  public static final String HELLINGER = "hellinger";
  public static final String TV = "tv";
  public static final String ENTROPY_BITS = "entropy_bits";
  public static final String ENTROPY_NORMALISED = "entropy_normalised";
  public static final String COVERAGE = "coverage";
  public static final String KS = "ks";
  public static final String W1 = "w1";

  /** Every name, in reporting order. */
  public static final List<String> ALL =
      List.of(
          JSD,
          KL,
          FIDELITY,
          INFIDELITY,
          HELLINGER,
          TV,
          ENTROPY_BITS,
          ENTROPY_NORMALISED,
          COVERAGE,
          KS,
          W1);

  /** The divergences that carry a shot-noise floor. */
  public static final List<String> WITH_FLOOR = List.of(JSD, KL, TV, HELLINGER, INFIDELITY);

  private MetricNames() {}
}
