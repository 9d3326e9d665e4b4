package io.qmon.metrics.noise;

import io.qmon.metrics.Alignment;
import io.qmon.metrics.Distribution;
import io.qmon.metrics.Divergences;
import io.qmon.metrics.Fidelity;
import io.qmon.metrics.KlSmoothing;
import io.qmon.metrics.KullbackLeibler;
import io.qmon.metrics.TargetModel;
import io.qmon.metrics.stats.ChiSquared;
import io.qmon.metrics.targets.AliasSampler;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Shot-noise floors: what each divergence looks like when the model is perfect, so alerts fire on
 * the model rather than on sampling noise.
 *
 * <p>Null hypothesis: Q is the empirical distribution of N shots drawn from P (multinomial).
 *
 * <p><b>Analytic</b>, when the target is explicit with k ≥ 2 outcomes and every expected count N·p
 * ≥ {@value #MIN_EXPECTED_COUNT}: with δ = q − p, second-order expansion gives, in nats, KL(P‖Q) ≈
 * Σδ²/(2p), JSD ≈ Σδ²/(8p), H² = 1 − Σ√(pq) ≈ Σδ²/(8p) and 1 − F ≈ 2H² ≈ Σδ²/(4p), while Pearson's
 * X² = NΣδ²/p is asymptotically χ² with k−1 degrees of freedom. Hence
 *
 * <ul>
 *   <li>2N·ln2·KL_bits ~ χ²_{k−1}: mean (k−1)/(2N ln 2) bits;
 *   <li>8N·ln2·JSD_bits ~ χ²_{k−1}: mean (k−1)/(8N ln 2) bits;
 *   <li>8N·H² ~ χ²_{k−1}: H's quantile is √(χ²_{k−1}(α)/(8N)), its mean ≈ √((k−1)/(8N));
 *   <li>4N·(1 − F) ~ χ²_{k−1}.
 * </ul>
 *
 * Total variation is a sum of absolute values with no chi-square form, so it is always calibrated
 * by Monte Carlo.
 *
 * <p><b>Monte Carlo</b> otherwise (few shots, many small-probability outcomes, parametric targets):
 * {@code draws} seeded N-shot samples of P, each scored exactly as the metric set scores Q (KL with
 * the same smoothing); the floor is the empirical mean and the upper empirical quantile. The seed
 * is derived from (seed, target id, N), so a floor is reproducible. Cost O(draws·(N + k)), paid
 * once per (target id, N, quantile): results are cached, least recently used first out.
 *
 * <p><b>Bounded cost.</b> Shots are simulated up to {@code maxSimulatedShots} (default {@value
 * #MAX_SIMULATED_SHOTS}); beyond it the floors are the simulated floors at that shot count scaled
 * by their asymptotic law in N (all of them are functions of δ = q − p, whose size falls as 1/√N):
 * JSD, KL and 1 − F, which are quadratic in δ, by N₀/N; total variation and Hellinger, which are
 * linear in δ, by √(N₀/N); the chi-square forms above still replace them where they apply. And the
 * draws shrink (to no fewer than 100) when draws·(N + k) would exceed {@value
 * #MAX_SIMULATION_STEPS} steps, so a target with many outcomes cannot make one floor cost more than
 * about a second either.
 */
public final class ShotNoiseFloors {
  /** Smallest expected count N·p at which the chi-square approximation is trusted. */
  public static final double MIN_EXPECTED_COUNT = 10;

  /** Default largest shot count that is simulated; floors beyond it are scaled from it. */
  public static final long MAX_SIMULATED_SHOTS = 1L << 16;

  /** Largest draws·(N + k) one floor may cost (2000 draws of 2^16 shots). */
  public static final long MAX_SIMULATION_STEPS = 2000L * (1L << 16);

  private static final int MIN_DRAWS = 100;

  private static final double LN2 = Math.log(2.0);

  private final KlSmoothing smoothing;
  private final int draws;
  private final long seed;
  private final long maxSimulatedShots;
  private final Map<Key, NoiseFloors> cache;
  private volatile LastHit last;

  /**
   * @param smoothing the KL smoothing of the metric set whose floors these are
   * @param draws Monte Carlo draws per floor; 2000 resolves a 99% quantile to about ±0.2% coverage
   * @param seed base seed of the Monte Carlo draws
   * @param cacheSize floors kept, least recently used evicted first
   */
  public ShotNoiseFloors(KlSmoothing smoothing, int draws, long seed, int cacheSize) {
    this(smoothing, draws, seed, cacheSize, MAX_SIMULATED_SHOTS);
  }

  /**
   * @param maxSimulatedShots largest shot count simulated; larger ones are scaled from it
   */
  public ShotNoiseFloors(
      KlSmoothing smoothing, int draws, long seed, int cacheSize, long maxSimulatedShots) {
    this.smoothing = Objects.requireNonNull(smoothing, "smoothing");
    if (maxSimulatedShots < 1) {
      throw new IllegalArgumentException(
          "maxSimulatedShots must be >= 1, got " + maxSimulatedShots);
    }
    this.maxSimulatedShots = maxSimulatedShots;
    if (draws < MIN_DRAWS) {
      throw new IllegalArgumentException("draws must be >= 100, got " + draws);
    }
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be >= 1, got " + cacheSize);
    }
    this.draws = draws;
    this.seed = seed;
    this.cache =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, NoiseFloors> eldest) {
            return size() > cacheSize;
          }
        };
  }

  /** The KL smoothing these floors were calibrated for. */
  public KlSmoothing smoothing() {
    return smoothing;
  }

  /** Floors for the given smoothing with 2000 draws, seed 0 and 256 cached entries. */
  public static ShotNoiseFloors withDefaults(KlSmoothing smoothing) {
    return new ShotNoiseFloors(smoothing, 2000, 0L, 256);
  }

  /**
   * The floors of every divergence for an N-shot sample of the target at the given quantile.
   *
   * @throws IllegalArgumentException when shots < 1 or the quantile is outside (0, 1)
   */
  public NoiseFloors floors(TargetModel target, long shots, double quantile) {
    if (shots < 1) {
      throw new IllegalArgumentException("shots must be >= 1, got " + shots);
    }
    if (!(quantile > 0 && quantile < 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1), got " + quantile);
    }
    LastHit hit = last;
    if (hit != null && hit.target == target && hit.shots == shots && hit.quantile == quantile) {
      return hit.floors;
    }
    NoiseFloors floors = cachedOrComputed(target, shots, quantile);
    last = new LastHit(target, shots, quantile, floors);
    return floors;
  }

  private NoiseFloors cachedOrComputed(TargetModel target, long shots, double quantile) {
    Key key = new Key(target, shots, quantile);
    synchronized (cache) {
      NoiseFloors cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    NoiseFloors computed = compute(target, shots, quantile);
    synchronized (cache) {
      cache.put(key, computed);
    }
    return computed;
  }

  private NoiseFloors compute(TargetModel target, long shots, double quantile) {
    if (shots > maxSimulatedShots) {
      return scaled(cachedOrComputed(target, maxSimulatedShots, quantile), target, shots, quantile);
    }
    long drawSeed = seed ^ (target.id().hashCode() * 0x9E3779B97F4A7C15L) ^ (shots * 0xC2B2AE3DL);
    int effectiveDraws = drawsFor(target, shots);
    double[][] samples = simulate(target, shots, effectiveDraws, new SplittableRandom(drawSeed));
    String mc = "monte-carlo(draws=" + effectiveDraws + ")";
    Floor jsd = empirical(samples[0], quantile, mc);
    Floor kl = empirical(samples[1], quantile, mc);
    Floor tv = empirical(samples[2], quantile, mc);
    Floor hellinger = empirical(samples[3], quantile, mc);
    Floor infidelity = empirical(samples[4], quantile, mc);
    return withAnalytic(
        new NoiseFloors(target.id(), shots, quantile, jsd, kl, tv, hellinger, infidelity), target);
  }

  /**
   * Floors at N from the floors at N₀ < N by each divergence's asymptotic law: quadratic ones by
   * N₀/N, linear ones by √(N₀/N).
   */
  private NoiseFloors scaled(NoiseFloors base, TargetModel target, long shots, double quantile) {
    double ratio = base.shots() / (double) shots;
    double root = Math.sqrt(ratio);
    NoiseFloors floors =
        new NoiseFloors(
            target.id(),
            shots,
            quantile,
            scale(base.jsd(), ratio, "N0/N", base.shots()),
            scale(base.kl(), ratio, "N0/N", base.shots()),
            scale(base.tv(), root, "sqrt(N0/N)", base.shots()),
            scale(base.hellinger(), root, "sqrt(N0/N)", base.shots()),
            scale(base.infidelity(), ratio, "N0/N", base.shots()));
    return withAnalytic(floors, target);
  }

  private static Floor scale(Floor floor, double factor, String law, long baseShots) {
    return new Floor(
        floor.mean() * factor,
        floor.upper() * factor,
        floor.quantile(),
        floor.method() + " scaled by " + law + " from N0=" + baseShots);
  }

  /** Draws for one floor, fewer when draws·(N + k) would exceed {@link #MAX_SIMULATION_STEPS}. */
  private int drawsFor(TargetModel target, long shots) {
    long support = target.explicit().map(d -> (long) d.support()).orElse(0L);
    long perDraw = shots + support;
    long affordable = MAX_SIMULATION_STEPS / Math.max(1, perDraw);
    return (int) Math.max(MIN_DRAWS, Math.min(draws, affordable));
  }

  /** Replaces the Monte Carlo floors by the chi-square forms where they apply. */
  private static NoiseFloors withAnalytic(NoiseFloors floors, TargetModel target) {
    long shots = floors.shots();
    double quantile = floors.quantile();
    Floor jsd = floors.jsd();
    Floor kl = floors.kl();
    Floor hellinger = floors.hellinger();
    Floor infidelity = floors.infidelity();
    Optional<Distribution> explicit = target.explicit();
    if (explicit.isPresent() && analyticApplies(explicit.get(), shots)) {
      int df = explicit.get().support() - 1;
      double chi = ChiSquared.quantile(quantile, df);
      String method = "chi-square(df=" + df + ")";
      double n = shots;
      jsd = new Floor(df / (8 * n * LN2), chi / (8 * n * LN2), quantile, method);
      kl = new Floor(df / (2 * n * LN2), chi / (2 * n * LN2), quantile, method);
      hellinger = new Floor(Math.sqrt(df / (8 * n)), Math.sqrt(chi / (8 * n)), quantile, method);
      infidelity = new Floor(df / (4 * n), chi / (4 * n), quantile, method);
    }
    return new NoiseFloors(
        target.id(), shots, quantile, jsd, kl, floors.tv(), hellinger, infidelity);
  }

  private static boolean analyticApplies(Distribution p, long shots) {
    if (p.support() < 2) {
      return false;
    }
    double min = 1;
    for (int i = 0; i < p.support(); i++) {
      min = Math.min(min, p.probability(i));
    }
    return shots * min >= MIN_EXPECTED_COUNT;
  }

  /** Rows: jsd, kl, tv, hellinger, 1 − F; one column per draw. */
  private double[][] simulate(
      TargetModel target, long shots, int drawCount, SplittableRandom random) {
    double[][] out = new double[5][drawCount];
    Optional<Distribution> explicit = target.explicit();
    if (explicit.isPresent()) {
      simulateExplicit(explicit.get(), shots, random, out);
    } else {
      simulateLazy(target, shots, random, out);
    }
    return out;
  }

  private void simulateExplicit(
      Distribution p, long shots, SplittableRandom random, double[][] out) {
    int k = p.support();
    AliasSampler sampler = new AliasSampler(p);
    long[] counts = new long[k];
    for (int d = 0; d < out[0].length; d++) {
      Arrays.fill(counts, 0);
      for (long s = 0; s < shots; s++) {
        counts[sampler.sampleIndex(random)]++;
      }
      double jsd = 0;
      double kl = 0;
      double tv = 0;
      double hellinger = 0;
      double overlap = 0;
      for (int i = 0; i < k; i++) {
        double pi = p.probability(i);
        double qi = counts[i] / (double) shots;
        double m = 0.5 * (pi + qi);
        jsd += pi * Math.log(pi / m) + (qi > 0 ? qi * Math.log(qi / m) : 0);
        kl += pi * Math.log(pi / smoothing.smoothed(qi, shots, k));
        tv += Math.abs(pi - qi);
        double root = Math.sqrt(pi) - Math.sqrt(qi);
        hellinger += root * root;
        overlap += Math.sqrt(pi * qi);
      }
      out[0][d] = Math.max(0, 0.5 * jsd / LN2);
      out[1][d] = Math.max(0, kl / LN2);
      out[2][d] = 0.5 * tv;
      out[3][d] = Math.sqrt(0.5 * hellinger);
      out[4][d] = Math.max(0, 1 - Math.min(1, overlap * overlap));
    }
  }

  private void simulateLazy(
      TargetModel target, long shots, SplittableRandom random, double[][] out) {
    Map<Long, long[]> counts = new HashMap<>();
    for (int d = 0; d < out[0].length; d++) {
      counts.clear();
      for (long s = 0; s < shots; s++) {
        counts.computeIfAbsent(target.sample(random), x -> new long[1])[0]++;
      }
      long[] outcomes = new long[counts.size()];
      long[] values = new long[counts.size()];
      int i = 0;
      for (Map.Entry<Long, long[]> e : counts.entrySet()) {
        outcomes[i] = e.getKey();
        values[i++] = e.getValue()[0];
      }
      Alignment a =
          Alignment.of(target, Distribution.fromCounts(target.qubits(), outcomes, values));
      out[0][d] = Divergences.jensenShannon(a);
      out[1][d] = KullbackLeibler.divergence(a, shots, smoothing).bits();
      out[2][d] = Divergences.totalVariation(a);
      out[3][d] = Divergences.hellinger(a);
      out[4][d] = 1 - Fidelity.classical(a);
    }
  }

  private static Floor empirical(double[] values, double quantile, String method) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return new Floor(sum / sorted.length, sorted[Math.max(0, index)], quantile, method);
  }

  /**
   * Keyed by the target object, not its id: a target republished under the same id (a new version)
   * is a new object and gets its own floors. Target models do not override equals.
   */
  private record Key(TargetModel target, long shots, double quantile) {}

  /**
   * The last answer, matched by target identity: a stream of epochs of one run asks for the same
   * floors every time, and this skips the key's hashing and the cache's lock.
   */
  private record LastHit(TargetModel target, long shots, double quantile, NoiseFloors floors) {}
}
