package io.qmon.schemas;

/** Keys of {@link MetricRecord#getMetrics()}: the one place metric names are spelled. */
public final class MetricNames {
  /** Jensen–Shannon divergence between target and generated distribution, bits, in [0, 1]. */
  public static final String JSD = "jsd";

  /** Classical (Hellinger) fidelity (Σ√(pq))², in [0, 1]. */
  public static final String FIDELITY = "fidelity";

  /** Shannon entropy of the generated distribution, bits. */
  public static final String ENTROPY_BITS = "entropy_bits";

  /** Shannon entropy of the generated distribution divided by the qubit count, in [0, 1]. */
  public static final String ENTROPY_NORMALISED = "entropy_normalised";

  /** Distinct outcomes observed in the epoch. */
  public static final String SUPPORT = "support";

  private MetricNames() {}
}
