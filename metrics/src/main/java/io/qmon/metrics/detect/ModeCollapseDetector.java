package io.qmon.metrics.detect;

import io.qmon.metrics.MetricNames;
import java.io.Serializable;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;

/**
 * Mode collapse: mode coverage and the generator's normalised entropy fall together. Fires when
 * coverage is at least {@code coverageDrop} below its best of the last {@code window} epochs and
 * the normalised entropy at least {@code entropyDrop} (a fraction) below its best in the same
 * window. Requiring both separates collapse (the generator concentrates on fewer outcomes) from a
 * mode merely drifting under the coverage fraction by shot noise. When the epoch reports a JSD, the
 * JSD must also be worse than its best of the window by more than its shot noise (upper minus
 * expected floor): early training concentrates a generator that started too broad, losing coverage
 * and entropy while getting closer to the target, and that is no collapse. Collapsed epochs are
 * kept out of the window so the baseline does not follow the collapse. Nothing fires in the run's
 * first {@code warmup} epochs seen: a freshly initialised generator reshapes itself wholesale, and
 * healthy runs (SPSA-trained Born machines above all) collapse for a few epochs and recover (the
 * false alarms {@code qmon eval-detectors} counted, and the demo's healthy run at epoch 3).
 */
public final class ModeCollapseDetector extends BaseDetector<ModeCollapseDetector.State> {
  /** Per-key state: recent healthy coverage and entropy values. */
  public static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    final Hysteresis.State alarm = new Hysteresis.State();
    double[] coverage;
    double[] entropy;
    double[] jsd;
    int size;
    int next;
    int seen;
  }

  private final int window;
  private final int warmup;
  private final double coverageDrop;
  private final double entropyDrop;

  /**
   * @param window healthy epochs remembered as the baseline
   * @param coverageDrop absolute drop in coverage, in (0, 1]
   * @param entropyDrop relative drop in normalised entropy, in (0, 1)
   * @param warmup epochs seen before any epoch may count as collapsed, ≥ 0
   */
  public ModeCollapseDetector(
      int window,
      int warmup,
      double coverageDrop,
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
    if (!(entropyDrop > 0 && entropyDrop < 1)) {
      throw new IllegalArgumentException("entropyDrop must be in (0, 1), got " + entropyDrop);
    }
    if (warmup < 0) {
      throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
    }
    this.window = window;
    this.warmup = warmup;
    this.coverageDrop = coverageDrop;
    this.entropyDrop = entropyDrop;
  }

  /**
   * Window 20, warm-up 40 epochs, coverage −0.25, entropy −10%, fire after 2 epochs (one collapsed
   * epoch is often a noisy optimiser step: {@code qmon eval-detectors}), resolve after 3, CRITICAL.
   */
  public static ModeCollapseDetector defaults(LongSupplier clock) {
    return new ModeCollapseDetector(20, 40, 0.25, 0.10, 2, 3, Severity.CRITICAL, clock);
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
    double bestCov = 0;
    double bestEnt = 0;
    double bestJsd = Double.POSITIVE_INFINITY;
    for (int i = 0; i < s.size; i++) {
      bestCov = Math.max(bestCov, s.coverage[i]);
      bestEnt = Math.max(bestEnt, s.entropy[i]);
      bestJsd = Math.min(bestJsd, s.jsd[i]);
    }
    double covLimit = bestCov - coverageDrop;
    double entLimit = bestEnt * (1 - entropyDrop);
    boolean fartherFromTarget =
        Double.isNaN(div) || Double.isNaN(bestJsd) || div - bestJsd > jsdNoise(o);
    boolean collapsed = cov <= covLimit && ent <= entLimit && fartherFromTarget;
    if (!collapsed) {
      push(s, cov, ent, div);
    }
    double bc = bestCov;
    double be = bestEnt;
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
                + " (recent best "
                + fmt(bc)
                + ", limit "
                + fmt(covLimit)
                + ") and normalised entropy "
                + fmt(ent)
                + " (recent best "
                + fmt(be)
                + ", limit "
                + fmt(entLimit)
                + ")"
                + (collapsed ? " fell together: the generator dropped modes" : ""));
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
    s.coverage[s.next] = cov;
    s.entropy[s.next] = ent;
    s.jsd[s.next] = div;
    s.next = (s.next + 1) % window;
    s.size = Math.min(window, s.size + 1);
  }
}
