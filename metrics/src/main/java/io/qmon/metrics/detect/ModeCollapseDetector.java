package io.qmon.metrics.detect;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Mode collapse: mode coverage and the generator's normalised entropy fall together. Fires when
 * coverage is at least {@code coverageDrop} below its median of the last {@code window} healthy
 * epochs (or, with a {@code coverageRatio} above 0, by that fraction of the median if less) and the
 * normalised entropy at least {@code entropyDrop} (a fraction) below its median in the same window.
 * The relative bound is for runs that cover few modes, where an absolute 0.2 is a large share of
 * them; it is off by default because on {@code qmon eval-detectors}' larger draws a ratio of 0.3
 * caught the two Born-machine collapses seed 1 missed (93% to 100%) but added 0.12 to 0.18 false
 * alarms per 1,000 healthy epochs on seeds 1, 3 and 11, every one on a qGAN whose median coverage
 * was 0.5 or less. The baseline is the window's median, not its best: at few shots the best of 20
 * epochs is the luckiest sampling draw (at 128 shots a target mode's count moves by a third from
 * epoch to epoch, so coverage flips by whole modes), and the drop from it was partly sampling noise
 * ({@code qmon eval-detectors}: every false alarm against the best of the window was a qGAN whose
 * entropy sat within 30% of its median, most at 128 shots; every injected collapse lay below 80%).
 * Requiring both separates collapse (the generator concentrates on fewer outcomes) from a mode
 * merely drifting under the coverage fraction by shot noise. When the epoch reports a JSD, the JSD
 * must also be worse than the window's median by more than its shot noise (upper minus expected
 * floor): early training concentrates a generator that started too broad, losing coverage and
 * entropy while getting closer to the target, and that is no collapse. Collapsed epochs are kept
 * out of the window so the baseline does not follow the collapse. Nothing fires in the run's first
 * {@code warmup} epochs seen: a freshly initialised generator reshapes itself wholesale, and
 * healthy runs (SPSA-trained Born machines above all) collapse for a few epochs and recover (the
 * false alarms {@code qmon eval-detectors} counted, and the demo's healthy run at epoch 3).
 */
public final class ModeCollapseDetector extends BaseDetector<ModeCollapseDetector.State> {
  /** Per-key state: recent healthy coverage, entropy and JSD values. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    double[] coverage;
    double[] entropy;
    double[] jsd;
    int size;
    int next;
    int seen;
    // The rings' values sorted (NaNs left out); rebuilt from the rings after a restore.
    transient SortedWindow sortedCoverage;
    transient SortedWindow sortedEntropy;
    transient SortedWindow sortedJsd;
  }

  private final int window;
  private final int warmup;
  private final double coverageDrop;
  private final double coverageRatio;
  private final double entropyDrop;

  /**
   * @param window healthy epochs remembered as the baseline
   * @param coverageDrop absolute drop in coverage, in (0, 1]
   * @param coverageRatio drop in coverage as a fraction of its median, used where smaller than
   *     {@code coverageDrop}, in [0, 1]; 0 sets no relative bound
   * @param entropyDrop relative drop in normalised entropy, in (0, 1)
   * @param warmup epochs seen before any epoch may count as collapsed, ≥ 0
   */
  public ModeCollapseDetector(
      int window,
      int warmup,
      double coverageDrop,
      double coverageRatio,
      double entropyDrop,
      int fireAfter,
      int resolveAfter,
      Severity severity,
      LongSupplier clock) {
    super("mode-collapse", MetricNames.COVERAGE, severity, fireAfter, resolveAfter, clock);
    if (window < 1 || !(coverageDrop > 0 && coverageDrop <= 1)) {
      throw new IllegalArgumentException(
          "need window >= 1 and coverageDrop in (0, 1], got " + window + ", " + coverageDrop);
    }
    if (!(coverageRatio >= 0 && coverageRatio <= 1)) {
      throw new IllegalArgumentException("coverageRatio must be in [0, 1], got " + coverageRatio);
    }
    if (!(entropyDrop > 0 && entropyDrop < 1)) {
      throw new IllegalArgumentException("entropyDrop must be in (0, 1), got " + entropyDrop);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
    this.window = window;
    this.warmup = warmup;
    this.coverageDrop = coverageDrop;
    this.coverageRatio = coverageRatio;
    this.entropyDrop = entropyDrop;
  }

  /**
   * Window 20, warm-up 40 epochs, coverage −0.2 (no relative bound) and entropy −15% from their
   * medians, fire after 2 epochs (one collapsed epoch is often a noisy optimiser step: {@code qmon
   * eval-detectors}), resolve after 3, CRITICAL.
   */
  public static ModeCollapseDetector defaults(LongSupplier clock) {
    return new ModeCollapseDetector(20, 40, 0.20, 0, 0.15, 2, 3, Severity.CRITICAL, clock);
  }

  @Override
  public Map<String, Number> parameters() {
    return named(
        "window",
        window,
        "warmup",
        warmup,
        "coverage-drop",
        coverageDrop,
        "coverage-ratio",
        coverageRatio,
        "entropy-drop",
        entropyDrop,
        "fire-after",
        fireAfter(),
        "resolve-after",
        resolveAfter());
  }

  @Override
  public State initialState() {
    State s = new State();
    s.coverage = new double[window];
    s.entropy = new double[window];
    s.jsd = new double[window];
    return s;
  }

  @Override
  public Optional<AlertDecision> observe(State s, Observation o) {
    OptionalDouble c = o.value(MetricNames.COVERAGE);
    OptionalDouble h = o.value(MetricNames.ENTROPY_NORMALISED);
    if (c.isEmpty() || h.isEmpty()) {
      return Optional.empty();
    }
    double cov = c.getAsDouble();
    double ent = h.getAsDouble();
    OptionalDouble j = o.value(MetricNames.JSD);
    double div = j.isPresent() ? j.getAsDouble() : Double.NaN;
    s.seen++;
    if (s.size == 0 || s.seen <= warmup) {
      push(s, cov, ent, div);
      return Optional.empty();
    }
    sorted(s);
    double typicalCov = s.sortedCoverage.median();
    double typicalEnt = s.sortedEntropy.median();
    double typicalJsd = s.sortedJsd.median();
    double covLimit = typicalCov - coverageDropFrom(typicalCov);
    double entLimit = typicalEnt * (1 - entropyDrop);
    boolean fartherFromTarget =
        Double.isNaN(div) || Double.isNaN(typicalJsd) || div - typicalJsd > jsdNoise(o);
    // A window that covered no mode has none to lose (its relative drop is 0).
    boolean collapsed = cov <= covLimit && cov < typicalCov && ent <= entLimit && fartherFromTarget;
    if (!collapsed) {
      push(s, cov, ent, div);
    }
    double bc = typicalCov;
    double be = typicalEnt;
    return decide(
        s.alarm,
        collapsed,
        !collapsed,
        o.epoch(),
        cov,
        covLimit,
        () ->
            "coverage "
                + fmt(cov)
                + " (recent median "
                + fmt(bc)
                + ", limit "
                + fmt(covLimit)
                + ") and normalised entropy "
                + fmt(ent)
                + " (recent median "
                + fmt(be)
                + ", limit "
                + fmt(entLimit)
                + ")"
                + (collapsed ? " fell together: the generator dropped modes" : ""));
  }

  /** The coverage drop that counts against a window whose median coverage is {@code typical}. */
  private double coverageDropFrom(double typical) {
    return coverageRatio == 0 ? coverageDrop : Math.min(coverageDrop, coverageRatio * typical);
  }

  private static void sorted(State s) {
    if (s.sortedCoverage == null) {
      s.sortedCoverage = SortedWindow.of(s.coverage, s.size);
      s.sortedEntropy = SortedWindow.of(s.entropy, s.size);
      s.sortedJsd = SortedWindow.of(s.jsd, s.size);
    }
  }

  /** How far sampling alone moves the JSD: upper minus expected floor, 0 when not reported. */
  private static double jsdNoise(Observation o) {
    OptionalDouble upper = o.floor(MetricNames.JSD);
    OptionalDouble expected = o.floor(MetricNames.JSD + "_expected");
    if (upper.isEmpty() || expected.isEmpty()) {
      return 0;
    }
    return Math.max(0, upper.getAsDouble() - expected.getAsDouble());
  }

  private void push(State s, double cov, double ent, double div) {
    sorted(s);
    if (s.size == window) {
      s.sortedCoverage.remove(s.coverage[s.next]);
      s.sortedEntropy.remove(s.entropy[s.next]);
      s.sortedJsd.remove(s.jsd[s.next]);
    }
    s.sortedCoverage.add(cov);
    s.sortedEntropy.add(ent);
    s.sortedJsd.add(div);
    s.coverage[s.next] = cov;
    s.entropy[s.next] = ent;
    s.jsd[s.next] = div;
    s.next = (s.next + 1) % window;
    s.size = Math.min(window, s.size + 1);
  }
}
