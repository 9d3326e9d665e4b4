package io.qmon.metrics;

import io.qmon.metrics.noise.NoiseFloors;
import io.qmon.metrics.noise.ShotNoiseFloors;
import java.util.Objects;
import java.util.Optional;

/**
 * Computes a whole {@link MetricSet} for one (target, generated counts, shots) in one call.
 *
 * <p>Cost: P is evaluated once per distinct generated outcome (an {@link Alignment} shared by all
 * divergences), plus one lookup per target mode; KS and W1 walk the union of both supports and are
 * only computed when the target has a value mapping and can be enumerated. Floors are cached per
 * (target id, shots, quantile). Thread-safe; configure once, share.
 */
public final class MetricCalculator {
  private final KlSmoothing smoothing;
  private final double modeThreshold;
  private final double modeFraction;
  private final double floorQuantile;
  private final ShotNoiseFloors noise;

  private MetricCalculator(Builder b) {
    this.smoothing = b.smoothing;
    this.modeThreshold = b.modeThreshold;
    this.modeFraction = b.modeFraction;
    this.floorQuantile = b.floorQuantile;
    this.noise = b.noise != null ? b.noise : ShotNoiseFloors.withDefaults(b.smoothing);
    if (!noise.smoothing().equals(smoothing)) {
      throw new IllegalArgumentException(
          "noiseFloors are calibrated for "
              + noise.smoothing()
              + " but the calculator smooths KL with "
              + smoothing);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A calculator with the documented defaults. */
  public static MetricCalculator withDefaults() {
    return builder().build();
  }

  /** The metric set of raw shot counts; shots is their sum. */
  public MetricSet compute(TargetModel target, long[] outcomes, long[] counts) {
    long shots = 0;
    for (long c : counts) {
      shots += c;
    }
    return compute(target, Distribution.fromCounts(target.qubits(), outcomes, counts), shots);
  }

  /**
   * The metric set of a generated distribution measured with {@code shots} shots.
   *
   * @throws IllegalArgumentException when shots < 1 or the qubit counts differ
   */
  public MetricSet compute(TargetModel target, Distribution generated, long shots) {
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
    Alignment a = Alignment.of(target, generated);
    double threshold =
        Double.isNaN(modeThreshold)
            ? Math.max(1.0 / target.supportSize(), Builder.MIN_DEFAULT_THRESHOLD)
            : modeThreshold;
    double ks = Double.NaN;
    double w1 = Double.NaN;
    Optional<ValueMapping> mapping = target.valueMapping();
    Optional<Distribution> explicit = target.explicit();
    if (mapping.isPresent() && explicit.isPresent()) {
      ks = OrderedDistances.kolmogorovSmirnov(explicit.get(), generated);
      w1 = OrderedDistances.wasserstein1(explicit.get(), generated, mapping.get());
    }
    NoiseFloors floors = noise.floors(target, shots, floorQuantile);
    return new MetricSet(
        target.id(),
        target.qubits(),
        shots,
        Divergences.jensenShannon(a),
        KullbackLeibler.divergence(a, shots, smoothing),
        Fidelity.classical(a),
        Divergences.hellinger(a),
        Divergences.totalVariation(a),
        Entropy.shannonBits(generated),
        Entropy.normalised(generated),
        ModeCoverage.of(target, generated, threshold, modeFraction),
        ks,
        w1,
        floors);
  }

  /** Options of a {@link MetricCalculator}, each with a default. */
  public static final class Builder {
    static final double MIN_DEFAULT_THRESHOLD = 1e-4;

    private KlSmoothing smoothing = KlSmoothing.laplace(0.5);
    private double modeThreshold = Double.NaN;
    private double modeFraction = 0.5;
    private double floorQuantile = 0.99;
    private ShotNoiseFloors noise;

    private Builder() {}

    /** KL smoothing; default {@code laplace(alpha=0.5)} (Krichevsky–Trofimov). */
    public Builder smoothing(KlSmoothing smoothing) {
      this.smoothing = Objects.requireNonNull(smoothing, "smoothing");
      return this;
    }

    /**
     * A mode is a target outcome with p ≥ threshold; default max(1/|supp P|, 1e-4): outcomes more
     * likely than under a uniform target on the same support, capped so at most 10^4 modes.
     */
    public Builder modeThreshold(double threshold) {
      if (!(threshold > 0 && threshold <= 1)) {
        throw new IllegalArgumentException("modeThreshold must be in (0, 1], got " + threshold);
      }
      this.modeThreshold = threshold;
      return this;
    }

    /** A mode is reached when q ≥ fraction·p; default 0.5. */
    public Builder modeFraction(double fraction) {
      if (!(fraction > 0 && fraction <= 1)) {
        throw new IllegalArgumentException("modeFraction must be in (0, 1], got " + fraction);
      }
      this.modeFraction = fraction;
      return this;
    }

    /** Level of the upper shot-noise floor; default 0.99. */
    public Builder floorQuantile(double quantile) {
      if (!(quantile > 0 && quantile < 1)) {
        throw new IllegalArgumentException("floorQuantile must be in (0, 1), got " + quantile);
      }
      this.floorQuantile = quantile;
      return this;
    }

    /**
     * The floor source; default {@link ShotNoiseFloors#withDefaults} with this builder's smoothing.
     * Pass one shared instance to share its cache.
     */
    public Builder noiseFloors(ShotNoiseFloors noise) {
      this.noise = Objects.requireNonNull(noise, "noise");
      return this;
    }

    public MetricCalculator build() {
      return new MetricCalculator(this);
    }
  }
}
