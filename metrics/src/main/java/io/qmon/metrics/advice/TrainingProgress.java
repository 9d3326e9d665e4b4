package io.qmon.metrics.advice;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Classifies a run's progress, epoch by epoch, from its divergence (JSD), the divergence's
 * shot-noise floor and its mode coverage. The caller keeps one {@link State} per run; state is
 * bounded (W + k values), so long runs cost nothing more.
 *
 * <p>The rules, with L(n) the median of the last k values (the run's level; a median because
 * stochastic optimizers such as SPSA make single epochs jump), B(n) = min L(e..n) the best level
 * from the e-th epoch on (e = {@value #EARLY_EPOCHS}, or k when smaller: the level of one or two
 * epochs is a single draw or two), F the 99% shot-noise floor and S = F − E its sampling spread
 * above its mean E (the estimator's bias, shared by every epoch, cancels in a difference of levels;
 * S = F when E is unknown):
 *
 * <ul>
 *   <li>{@link AdviceKind#COLLAPSED}: each of the last c coverages ≤ fraction × the best median
 *       coverage of k epochs (judged from the k-th epoch with coverage on), and each of the last c
 *       values worse than the best level by more than the floor: &gt; B(n) + F (when the divergence
 *       is known). A young run from a random start often narrows onto fewer modes on its way to the
 *       target while its divergence keeps falling; that is training, not a collapse (seen on a
 *       3-qubit Born machine that went on to be its sweep's best).
 *   <li>{@link AdviceKind#DIVERGING}: each of the last d values v twice as far above the floor's
 *       mean as the best level, and more than two spreads beyond: v − E &gt; 2 (B(n) − E) + 2S,
 *       i.e. v &gt; 2B(n) − E + 2S (v &gt; 2B(n) + 2F when E is unknown); while the best level is
 *       within the floor, B(n) ≤ F, each &gt; 2B(n) + 2F. And (once the first level L(k) is known:
 *       the median of the first k values, or that of the first {@value #EARLY_EPOCHS} when higher)
 *       each &gt; B(n) + γ (L(k) − B(n)): the run gave back γ of the progress it had made. Near the
 *       target at thousands of shots the doubled level is barely above B, and a healthy qGAN's
 *       swings there passed it.
 *   <li>{@link AdviceKind#CONVERGED_AT_NOISE_FLOOR}: at least k epochs and L(n) ≤ F.
 *   <li>flat: at least W + k epochs, L(n) &gt; F, and the best level B(n) fell by less than S in
 *       the last W epochs: B(n − W) − B(n) &lt; S. Flat, and the run never got max(S, ρ (L(k) − F))
 *       below its first level L(k) (ρ of the way to the floor): {@link AdviceKind#BARREN_PLATEAU};
 *       otherwise {@link AdviceKind#PLATEAU}. Neither follows a convergence, a divergence or a
 *       collapse, and no barren plateau follows a plateau.
 * </ul>
 *
 * Each kind is decided at most once per run.
 */
public final class TrainingProgress {
  /** Per-run state. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final double[] values;
    final long[] epochs;
    final double[] coverages;
    final double[] bestLevels;
    long count;
    long coverageCount;
    double startLevel = Double.NaN;
    double bestLevel = Double.POSITIVE_INFINITY;
    long bestEpoch;
    double bestCoverageLevel;
    int decided;

    State(AdviceSettings settings) {
      int span = settings.plateauEpochs() + settings.smoothingEpochs();
      values = new double[Math.max(span, settings.divergeEpochs())];
      epochs = new long[values.length];
      bestLevels = new double[settings.plateauEpochs() + 1];
      coverages = new double[Math.max(settings.smoothingEpochs(), settings.collapseEpochs())];
    }

    /** Whether {@code kind} was already decided for this run. */
    public boolean decided(AdviceKind kind) {
      return (decided & (1 << kind.ordinal())) != 0;
    }
  }

  private final AdviceSettings settings;

  public TrainingProgress(AdviceSettings settings) {
    this.settings = settings;
  }

  public AdviceSettings settings() {
    return settings;
  }

  public State initialState() {
    return new State(settings);
  }

  // A state keeps the windows it was built with: one restored after W (or k, d, c) was raised has
  // no history for the longer window, and reading past its rings would wrap onto recent epochs,
  // so such a run goes on under the windows its state holds; a lowered setting applies at once.
  private int plateauEpochs(State s) {
    return Math.min(settings.plateauEpochs(), s.bestLevels.length - 1);
  }

  private int smoothingEpochs(State s) {
    return Math.min(
        settings.smoothingEpochs(),
        Math.min(s.coverages.length, s.values.length - plateauEpochs(s)));
  }

  /**
   * Observes one epoch and returns the advice it decides, usually none.
   *
   * @param jsd the epoch's divergence
   * @param floor its 99% shot-noise floor; NaN when unknown (then only coverage is judged)
   * @param floorExpected the floor's mean, reported as evidence
   * @param coverage the epoch's mode coverage, NaN when unknown
   * @param shotsPerEpoch shots drawn per epoch
   * @param maxEpochs the run's declared number of epochs, if known
   */
  public List<Advice> observe(
      State s,
      long epoch,
      double jsd,
      double floor,
      double floorExpected,
      double coverage,
      long shotsPerEpoch,
      OptionalInt maxEpochs) {
    List<Advice> out = new ArrayList<>(1);
    int k = smoothingEpochs(s);
    double coverageLevel = Double.NaN;
    if (!Double.isNaN(coverage)) {
      s.coverages[(int) (s.coverageCount++ % s.coverages.length)] = coverage;
      coverageLevel = median(lastCoverages(s, (int) Math.min(s.coverageCount, k)));
      // Coverage of a young run swings with few modes; only a full k-epoch median is a level.
      if (s.coverageCount >= k) {
        s.bestCoverageLevel = Math.max(s.bestCoverageLevel, coverageLevel);
      }
    }
    boolean jsdKnown = !Double.isNaN(jsd) && !Double.isNaN(floor);
    double level = Double.NaN;
    if (jsdKnown) {
      s.values[(int) (s.count % s.values.length)] = jsd;
      s.epochs[(int) (s.count % s.values.length)] = epoch;
      s.count++;
      level = median(lastValues(s, (int) Math.min(s.count, k), 0));
      if (s.count == k) {
        s.startLevel =
            k > EARLY_EPOCHS
                ? Math.max(level, median(lastValues(s, EARLY_EPOCHS, k - EARLY_EPOCHS)))
                : level;
      }
      // The first level is a median of at least EARLY_EPOCHS epochs, and progress is measured
      // from it: a best level of one or two epochs is one lucky draw, which far above the floor
      // lies several S below every later level (stalled Born machines and qGANs whose first epoch
      // drew 0.05 to 0.1 under the rest were told PLATEAU, not BARREN_PLATEAU), and as a best it
      // also made a run look flat from the start (a healthy run told PLATEAU at W + k that went on
      // to halve its divergence) and diverging from its fourth epoch.
      if (s.count >= Math.min(k, EARLY_EPOCHS) && level < s.bestLevel) {
        s.bestLevel = level;
        s.bestEpoch = epoch;
      }
      s.bestLevels[(int) ((s.count - 1) % s.bestLevels.length)] = s.bestLevel;
    }
    if (!Double.isNaN(coverage)) {
      int c = Math.min(settings.collapseEpochs(), s.coverages.length);
      double limit = settings.collapseFraction() * s.bestCoverageLevel;
      double[] recent = lastCoverages(s, (int) Math.min(s.coverageCount, c));
      double worseThan = s.bestLevel + floor;
      boolean worse =
          !jsdKnown
              || (s.count >= c && Arrays.stream(lastValues(s, c, 0)).allMatch(v -> v > worseThan));
      if (!s.decided(AdviceKind.COLLAPSED)
          && s.coverageCount >= c
          && s.bestCoverageLevel > 0
          && Arrays.stream(recent).allMatch(v -> v <= limit)
          && worse) {
        out.add(
            decide(
                s,
                AdviceKind.COLLAPSED,
                epoch,
                epoch - c + 1,
                "coverage",
                coverage,
                coverageLevel,
                s.bestCoverageLevel,
                Double.NaN,
                Double.NaN,
                recent,
                shotsPerEpoch,
                maxEpochs,
                "mode coverage "
                    + fmt(coverage)
                    + ": each of the last "
                    + c
                    + " epochs at most "
                    + fmt(settings.collapseFraction())
                    + " × the best median coverage "
                    + fmt(s.bestCoverageLevel)
                    + (jsdKnown
                        ? ", and jsd above the best level "
                            + fmt(s.bestLevel)
                            + " + floor "
                            + fmt(floor)
                            + " in each of them"
                        : "")));
      }
    }
    if (!jsdKnown) {
      return out;
    }

    int d = Math.min(settings.divergeEpochs(), s.values.length);
    // Near the target at many shots, the doubled level is a hair above B, and an adversarial run's
    // ordinary swings pass it; a divergence gives back a real share of the way the run came.
    double givenBack =
        Double.isNaN(s.startLevel)
            ? s.bestLevel
            : s.bestLevel + settings.divergeLoss() * Math.max(0, s.startLevel - s.bestLevel);
    double divergeLimit = Math.max(doubledLevel(s.bestLevel, floor, floorExpected), givenBack);
    double[] lastD = lastValues(s, (int) Math.min(s.count, d), 0);
    if (!s.decided(AdviceKind.DIVERGING)
        && s.count >= d
        && Arrays.stream(lastD).allMatch(v -> v > divergeLimit)) {
      out.add(
          decide(
              s,
              AdviceKind.DIVERGING,
              epoch,
              firstEpochOf(s, d),
              "jsd",
              jsd,
              level,
              s.bestLevel,
              floor,
              floorExpected,
              lastD,
              shotsPerEpoch,
              maxEpochs,
              (s.bestLevel > floor && progressNoise(floor, floorExpected) < floor
                      ? "jsd less the floor's mean "
                          + fmt(floor - progressNoise(floor, floorExpected))
                          + " above 2 × (best level "
                          + fmt(s.bestLevel)
                          + " (epoch "
                          + s.bestEpoch
                          + ") less that mean) + 2 × its spread "
                          + fmt(progressNoise(floor, floorExpected))
                      : "jsd above 2 × best level "
                          + fmt(s.bestLevel)
                          + " (epoch "
                          + s.bestEpoch
                          + ") + 2 × floor "
                          + fmt(floor))
                  + (Double.isNaN(s.startLevel)
                      ? ""
                      : " and above best + "
                          + fmt(settings.divergeLoss())
                          + " × the progress from the first level "
                          + fmt(s.startLevel))
                  + ", i.e. above "
                  + fmt(divergeLimit)
                  + " in each of the last "
                  + d
                  + " epochs"));
    }

    if (!s.decided(AdviceKind.CONVERGED_AT_NOISE_FLOOR) && s.count >= k && level <= floor) {
      out.add(
          decide(
              s,
              AdviceKind.CONVERGED_AT_NOISE_FLOOR,
              epoch,
              firstEpochOf(s, k),
              "jsd",
              jsd,
              level,
              s.bestLevel,
              floor,
              floorExpected,
              lastValues(s, k, 0),
              shotsPerEpoch,
              maxEpochs,
              "median jsd of the last "
                  + k
                  + " epochs "
                  + fmt(level)
                  + " is within the 99% shot-noise floor "
                  + fmt(floor)
                  + " at "
                  + shotsPerEpoch
                  + " shots: nothing left to learn at this shot count"));
    }

    int w = plateauEpochs(s);
    boolean faulted = s.decided(AdviceKind.DIVERGING) || s.decided(AdviceKind.COLLAPSED);
    if (s.count >= w + k
        && level > floor
        && !faulted
        && !s.decided(AdviceKind.CONVERGED_AT_NOISE_FLOOR)) {
      double bestThen = s.bestLevels[(int) ((s.count - 1 - w) % s.bestLevels.length)];
      double noise = progressNoise(floor, floorExpected);
      boolean flat = bestThen - s.bestLevel < noise;
      // A barren run's parameters still move, so its level wanders by more than sampling noise;
      // what it lacks is progress towards the target, judged on the way from its first level to
      // the floor.
      double barrenProgress =
          Math.max(noise, settings.barrenProgress() * Math.max(0, s.startLevel - floor));
      boolean neverProgressed = s.startLevel - s.bestLevel < barrenProgress;
      AdviceKind kind =
          neverProgressed && !s.decided(AdviceKind.PLATEAU)
              ? AdviceKind.BARREN_PLATEAU
              : AdviceKind.PLATEAU;
      if (flat && !s.decided(kind) && !s.decided(AdviceKind.BARREN_PLATEAU)) {
        out.add(
            decide(
                s,
                kind,
                epoch,
                firstEpochOf(s, w + k),
                "jsd",
                jsd,
                level,
                s.bestLevel,
                floor,
                floorExpected,
                lastValues(s, w + k, 0),
                shotsPerEpoch,
                maxEpochs,
                "best median jsd "
                    + fmt(bestThen)
                    + " → "
                    + fmt(s.bestLevel)
                    + " over the last "
                    + w
                    + " epochs, less than the floor's sampling spread ("
                    + fmt(noise)
                    + ") of progress; level "
                    + fmt(level)
                    + " above the floor"
                    + (kind == AdviceKind.BARREN_PLATEAU
                        ? "; no progress since the start: first level "
                            + fmt(s.startLevel)
                            + ", less than "
                            + fmt(barrenProgress)
                            + " above the best"
                        : "; best level " + fmt(s.bestLevel) + " at epoch " + s.bestEpoch)));
      }
    }
    return out;
  }

  /**
   * How far sampling noise alone moves the divergence between epochs: the 99% floor above its mean.
   * The mean is the estimator's bias at this shot count, which every epoch shares and a difference
   * of levels cancels; at few shots per outcome it is most of the floor (8 qubits at 128 shots),
   * and progress measured against the whole floor called healthy runs barren. The whole floor when
   * its mean is unknown.
   */
  static double progressNoise(double floor, double floorExpected) {
    return Double.isNaN(floorExpected) || floorExpected >= floor || floorExpected < 0
        ? floor
        : floor - floorExpected;
  }

  /**
   * The value each of the last d epochs must pass for a doubling of the best level B: twice as far
   * above the floor's mean E as B, plus two sampling spreads S, so 2B − E + 2S. Every epoch's value
   * carries the estimator's bias E; doubled with B and counted twice more in 2F, it made the limit
   * 2B + 2F unreachable where E is most of the floor: an 8-qubit Born machine at 128 shots (E 0.37,
   * S 0.04) whose best level 0.41 was an exact divergence of 0.17 had a limit of 1.65, above the
   * largest JSD there is (1), and its exact divergence more than doubled under it unnoticed (2B − E
   * + 2S = 0.54). While B is within the floor, 2B + 2F: such a best may have been measured at more
   * shots per epoch, with a smaller bias than this epoch's E, and E is then no part of it to remove
   * (a shot count that falls raises every value by its bias; without this, 5 of 27 shots-drop runs
   * of {@code qmon eval-detectors --seed 1 --healthy 60 --per-fault 27} were told diverging, their
   * best level within the new floor). 2B + 2F also when E is unknown (then S = F and E = 0).
   */
  static double doubledLevel(double best, double floor, double floorExpected) {
    if (best <= floor) {
      return 2 * best + 2 * floor;
    }
    double spread = progressNoise(floor, floorExpected);
    double mean = floor - spread;
    return mean + 2 * (best - mean) + 2 * spread;
  }

  private static Advice decide(
      State s,
      AdviceKind kind,
      long epoch,
      long sinceEpoch,
      String metric,
      double value,
      double level,
      double best,
      double floor,
      double floorExpected,
      double[] values,
      long shotsPerEpoch,
      OptionalInt maxEpochs,
      String reason) {
    s.decided |= 1 << kind.ordinal();
    long epochsSaved = maxEpochs.isPresent() ? Math.max(0, maxEpochs.getAsInt() - epoch) : 0;
    return new Advice(
        kind,
        epoch,
        sinceEpoch,
        metric,
        value,
        level,
        best,
        metric.equals("jsd") ? s.bestEpoch : epoch,
        floor,
        floorExpected,
        values,
        shotsPerEpoch,
        maxEpochs,
        epochsSaved,
        epochsSaved * shotsPerEpoch,
        reason);
  }

  /**
   * The first epochs whose median may raise the run's first level above L(k): a qGAN that halved
   * its divergence in its first 6 epochs and then stalled had already made its progress by the k-th
   * epoch, and was told {@link AdviceKind#BARREN_PLATEAU}. Three, so that one lucky or unlucky
   * epoch does not set the level: on the larger draws of {@code qmon eval-detectors}, two lost 4 of
   * 27 barren runs on one seed, and five left a quarter of the healthy runs told barren and lost 2
   * barren runs on another.
   */
  static final int EARLY_EPOCHS = 3;

  /** The {@code n} values ending {@code back} values before the latest, oldest first. */
  private static double[] lastValues(State s, int n, int back) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      long index = s.count - back - n + i;
      out[i] = s.values[(int) (index % s.values.length)];
    }
    return out;
  }

  private static long firstEpochOf(State s, int n) {
    return s.epochs[(int) ((s.count - n) % s.epochs.length)];
  }

  private static double[] lastCoverages(State s, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = s.coverages[(int) ((s.coverageCount - n + i) % s.coverages.length)];
    }
    return out;
  }

  /** The median (mean of the middle two for an even count); n is at most W + k, so sort. */
  static double median(double[] xs) {
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String fmt(double x) {
    return String.format(java.util.Locale.ROOT, "%.4f", x);
  }
}
