package io.qmon.metrics.targets;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.Entropy;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.ValueMapping;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * A target given outcome by outcome, sparse or dense: a {@link Distribution} with an identity and,
 * optionally, the value mapping of a discretised real variable.
 */
public final class ExplicitTarget implements TargetModel {
  private final String id;
  private final Distribution distribution;
  private final ValueMapping mapping;
  private final double entropyBits;
  private final double collisionProbability;
  private volatile AliasSampler sampler;
  private volatile Modes lastModes;

  private ExplicitTarget(String id, Distribution distribution, ValueMapping mapping) {
    this.id = Objects.requireNonNull(id, "id");
    this.distribution = Objects.requireNonNull(distribution, "distribution");
    if (mapping != null && mapping.qubits() != distribution.qubits()) {
      throw new IllegalArgumentException(
          "mapping is over "
              + mapping.qubits()
              + " qubits but the distribution over "
              + distribution.qubits());
    }
    this.mapping = mapping;
    this.entropyBits = Entropy.shannonBits(distribution);
    double squares = 0;
    for (int i = 0; i < distribution.support(); i++) {
      squares += distribution.probability(i) * distribution.probability(i);
    }
    this.collisionProbability = squares;
  }

  /** A target with no value mapping: KS and W1 are not computed against it. */
  public static ExplicitTarget of(String id, Distribution distribution) {
    return new ExplicitTarget(id, distribution, null);
  }

  /** A discretised real variable: outcome x stands for {@code mapping.valueOf(x)}. */
  public static ExplicitTarget of(String id, Distribution distribution, ValueMapping mapping) {
    return new ExplicitTarget(id, distribution, Objects.requireNonNull(mapping, "mapping"));
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public int qubits() {
    return distribution.qubits();
  }

  @Override
  public double probabilityOf(long outcome) {
    return distribution.probabilityOf(outcome);
  }

  @Override
  public double supportSize() {
    return distribution.support();
  }

  @Override
  public double entropyBits() {
    return entropyBits;
  }

  @Override
  public double collisionProbability() {
    return collisionProbability;
  }

  /** Remembers the last threshold asked for, since a run asks for the same one every epoch. */
  @Override
  public long[] modes(double threshold) {
    Modes last = lastModes;
    if (last != null && last.threshold == threshold) {
      return last.outcomes.clone();
    }
    long[] modes = findModes(threshold);
    lastModes = new Modes(threshold, modes);
    return modes.clone();
  }

  @Override
  public double[] probabilitiesOf(long[] ascendingOutcomes) {
    double[] p = new double[ascendingOutcomes.length];
    int t = 0;
    int support = distribution.support();
    for (int i = 0; i < p.length; i++) {
      while (t < support && distribution.outcome(t) < ascendingOutcomes[i]) {
        t++;
      }
      p[i] =
          t < support && distribution.outcome(t) == ascendingOutcomes[i]
              ? distribution.probability(t)
              : 0;
    }
    return p;
  }

  private long[] findModes(double threshold) {
    long[] found = new long[distribution.support()];
    int n = 0;
    for (int i = 0; i < distribution.support(); i++) {
      if (distribution.probability(i) >= threshold) {
        found[n++] = distribution.outcome(i);
      }
    }
    return Arrays.copyOf(found, n);
  }

  @Override
  public long sample(SplittableRandom random) {
    AliasSampler s = sampler;
    if (s == null) {
      s = new AliasSampler(distribution);
      sampler = s;
    }
    return s.sample(random);
  }

  @Override
  public Optional<ValueMapping> valueMapping() {
    return Optional.ofNullable(mapping);
  }

  @Override
  public Optional<Distribution> explicit() {
    return Optional.of(distribution);
  }

  private record Modes(double threshold, long[] outcomes) {}

  @Override
  public String toString() {
    return "ExplicitTarget{id=" + id + ", " + distribution + "}";
  }
}
