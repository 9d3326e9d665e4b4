package io.qmon.metrics;

import io.qmon.metrics.noise.Floor;
import io.qmon.metrics.noise.NoiseFloors;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Every metric of one generated distribution against its target, with the shot-noise floors of the
 * divergences: the unit the streaming job publishes per (run, epoch).
 */
public final class MetricSet implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String targetId;
  private final int qubits;
  private final long shots;
  private final double jsd;
  private final KlResult kl;
  private final double fidelity;
  private final double hellinger;
  private final double tv;
  private final double entropyBits;
  private final double entropyNormalised;
  private final CoverageResult coverage;
  private final double ks;
  private final double w1;
  private final NoiseFloors floors;

  MetricSet(
      String targetId,
      int qubits,
      long shots,
      double jsd,
      KlResult kl,
      double fidelity,
      double hellinger,
      double tv,
      double entropyBits,
      double entropyNormalised,
      CoverageResult coverage,
      double ks,
      double w1,
      NoiseFloors floors) {
    this.targetId = targetId;
    this.qubits = qubits;
    this.shots = shots;
    this.jsd = jsd;
    this.kl = Objects.requireNonNull(kl, "kl");
    this.fidelity = fidelity;
    this.hellinger = hellinger;
    this.tv = tv;
    this.entropyBits = entropyBits;
    this.entropyNormalised = entropyNormalised;
    this.coverage = Objects.requireNonNull(coverage, "coverage");
    this.ks = ks;
    this.w1 = w1;
    this.floors = Objects.requireNonNull(floors, "floors");
  }

  public String targetId() {
    return targetId;
  }

  public int qubits() {
    return qubits;
  }

  public long shots() {
    return shots;
  }

  /** Jensen–Shannon divergence in bits, [0, 1]. */
  public double jsd() {
    return jsd;
  }

  /** KL(P‖Q) smoothed and raw, with the smoothing's name. */
  public KlResult kl() {
    return kl;
  }

  /** Classical fidelity (Σ√(pq))², [0, 1]. */
  public double fidelity() {
    return fidelity;
  }

  /** Hellinger distance √(1 − Σ√(pq)), [0, 1]. */
  public double hellinger() {
    return hellinger;
  }

  /** Total variation ½Σ|p−q|, [0, 1]. */
  public double tv() {
    return tv;
  }

  /** H(Q) in bits. */
  public double entropyBits() {
    return entropyBits;
  }

  /** H(Q)/n. */
  public double entropyNormalised() {
    return entropyNormalised;
  }

  /** Mode coverage and the missing modes. */
  public CoverageResult coverage() {
    return coverage;
  }

  /** Kolmogorov–Smirnov statistic, when the target has a value mapping and can be enumerated. */
  public OptionalDouble ks() {
    return Double.isNaN(ks) ? OptionalDouble.empty() : OptionalDouble.of(ks);
  }

  /** Wasserstein-1 in value units, when the target has a value mapping and can be enumerated. */
  public OptionalDouble w1() {
    return Double.isNaN(w1) ? OptionalDouble.empty() : OptionalDouble.of(w1);
  }

  /** Shot-noise floors of jsd, kl, tv, hellinger and 1 − fidelity. */
  public NoiseFloors floors() {
    return floors;
  }

  /**
   * Every available metric by its {@link MetricNames} name, in reporting order; KL is the smoothed
   * value, KS and W1 are absent when not computed. Never holds NaN or infinity.
   */
  public Map<String, Double> values() {
    Map<String, Double> out = new LinkedHashMap<>();
    putValues(out);
    return Collections.unmodifiableMap(out);
  }

  /**
   * Puts every value of {@link #values()} into {@code out}, in the same order: for callers that
   * build their own map (a record's metrics) without an intermediate copy.
   */
  public void putValues(Map<String, Double> out) {
    out.put(MetricNames.JSD, jsd);
    out.put(MetricNames.KL, kl.bits());
    out.put(MetricNames.FIDELITY, fidelity);
    out.put(MetricNames.INFIDELITY, 1 - fidelity);
    out.put(MetricNames.HELLINGER, hellinger);
    out.put(MetricNames.TV, tv);
    out.put(MetricNames.ENTROPY_BITS, entropyBits);
    out.put(MetricNames.ENTROPY_NORMALISED, entropyNormalised);
    out.put(MetricNames.COVERAGE, coverage.coverage());
    if (!Double.isNaN(ks)) {
      out.put(MetricNames.KS, ks);
    }
    if (!Double.isNaN(w1)) {
      out.put(MetricNames.W1, w1);
    }
  }

  /** The shot-noise floor of a metric named in {@link MetricNames#WITH_FLOOR}. */
  public Optional<Floor> floor(String metric) {
    return Optional.ofNullable(
        switch (metric) {
          case MetricNames.JSD -> floors.jsd();
          case MetricNames.KL -> floors.kl();
          case MetricNames.TV -> floors.tv();
          case MetricNames.HELLINGER -> floors.hellinger();
          case MetricNames.INFIDELITY -> floors.infidelity();
          default -> null;
        });
  }

  @Override
  public String toString() {
    return "MetricSet{target=" + targetId + ", shots=" + shots + ", " + values() + "}";
  }
}
