package io.qmon.metrics.detect;

import java.io.Serializable;

/**
 * Fire/resolve hysteresis shared by all detectors: an alert fires after {@code fireAfter}
 * consecutive breaching epochs and resolves after {@code resolveAfter} consecutive clear ones, so a
 * single noisy epoch neither raises nor ends an alert.
 */
final class Hysteresis implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The plain per-key part: is it firing, and how long the current streaks are. */
  static final class State implements Serializable {
    private static final long serialVersionUID = 1L;
    boolean firing;
    int breaches;
    int clears;
  }

  enum Transition {
    NONE,
    FIRE,
    RESOLVE
  }

  private final int fireAfter;
  private final int resolveAfter;

  Hysteresis(int fireAfter, int resolveAfter) {
    if (fireAfter < 1) {
      throw new IllegalArgumentException("fireAfter must be >= 1, got " + fireAfter);
    }
    if (resolveAfter < 1) {
      throw new IllegalArgumentException("resolveAfter must be >= 1, got " + resolveAfter);
    }
    this.fireAfter = fireAfter;
    this.resolveAfter = resolveAfter;
  }

  /**
   * Advances the streaks. {@code breach} and {@code clear} may both be false (a hysteresis band):
   * then both streaks restart.
   */
  Transition step(State s, boolean breach, boolean clear) {
    if (!s.firing) {
      s.breaches = breach ? s.breaches + 1 : 0;
      if (s.breaches >= fireAfter) {
        s.firing = true;
        s.breaches = 0;
        s.clears = 0;
        return Transition.FIRE;
      }
      return Transition.NONE;
    }
    s.clears = clear ? s.clears + 1 : 0;
    if (s.clears >= resolveAfter) {
      s.firing = false;
      s.clears = 0;
      s.breaches = 0;
      return Transition.RESOLVE;
    }
    return Transition.NONE;
  }

  int fireAfter() {
    return fireAfter;
  }

  int resolveAfter() {
    return resolveAfter;
  }
}
