package io.qmon.producers.train;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Simultaneous perturbation stochastic approximation (Spall, 1992): a gradient-free optimiser that
 * estimates the whole gradient from two loss evaluations, so it tolerates shot noise.
 *
 * <p>Step k (from 0) perturbs all parameters at once by ±c_k (Rademacher Δ) and moves by a_k times
 * the estimate (L(θ+c_kΔ) − L(θ−c_kΔ))/(2c_k)·Δ, with Spall's standard gains a_k = a/(k+1+A)^0.602
 * and c_k = c/(k+1)^0.101. When no learning rate a is given it is calibrated as Qiskit's {@code
 * SPSA.calibrate} does: from {@value #CALIBRATION_STEPS} perturbations at the start point, a is set
 * so the first step moves each parameter by about 2π/10.
 */
public final class Spsa {
  /** Loss-evaluation pairs spent on calibrating a. */
  public static final int CALIBRATION_STEPS = 25;

  private static final double TARGET_MAGNITUDE = 2 * Math.PI / 10;

  private final Settings settings;
  private final SplittableRandom rng;
  private double a;
  private int iteration;

  /**
   * Gains and constants.
   *
   * @param a learning-rate numerator; NaN to calibrate on the first step
   * @param c perturbation size numerator
   * @param stability A, the stability constant that damps the first steps
   * @param alpha decay exponent of a_k (Spall: 0.602)
   * @param gamma decay exponent of c_k (Spall: 0.101)
   */
  public record Settings(double a, double c, double stability, double alpha, double gamma) {
    /** Calibrated a, c = 0.2, A = 0, α = 0.602, γ = 0.101: the defaults of Qiskit's SPSA. */
    public static final Settings DEFAULT = new Settings(Double.NaN, 0.2, 0.0, 0.602, 0.101);

    public Settings {
      if (!Double.isNaN(a) && !(a > 0)) {
        throw new IllegalArgumentException("a must be > 0 or NaN (calibrate), got " + a);
      }
      checkPositive("c", c);
      if (!(stability >= 0)) {
        throw new IllegalArgumentException("stability must be >= 0, got " + stability);
      }
      checkPositive("alpha", alpha);
      checkPositive("gamma", gamma);
    }

    /** These settings with a fixed learning-rate numerator. */
    public Settings withA(double newA) {
      return new Settings(newA, c, stability, alpha, gamma);
    }

    private static void checkPositive(String field, double value) {
      if (!(value > 0)) {
        throw new IllegalArgumentException(field + " must be > 0, got " + value);
      }
    }
  }

  public Spsa(Settings settings, SplittableRandom rng) {
    if (settings == null) {
      throw new IllegalArgumentException("settings must not be null");
    }
    if (rng == null) {
      throw new IllegalArgumentException("rng must not be null");
    }
    this.settings = settings;
    this.rng = rng;
    this.a = settings.a();
  }

  /** Steps taken so far. */
  public int iteration() {
    return iteration;
  }

  /** The learning-rate numerator in use (NaN until calibrated). */
  public double learningRate() {
    return a;
  }

  /**
   * One SPSA step: updates {@code params} in place.
   *
   * @return the two loss values {L(θ+c_kΔ), L(θ−c_kΔ)}
   */
  public double[] step(double[] params, ToDoubleFunction<double[]> loss) {
    if (Double.isNaN(a)) {
      a = calibrate(params, loss);
    }
    int k = iteration;
    double ak = a / Math.pow(k + 1 + settings.stability(), settings.alpha());
    double ck = settings.c() / Math.pow(k + 1, settings.gamma());
    double[] delta = rademacher(params.length);
    double[] probe = new double[params.length];
    double plus = evaluate(params, delta, ck, probe, loss);
    double minus = evaluate(params, delta, -ck, probe, loss);
    double scale = ak * (plus - minus) / (2 * ck);
    for (int i = 0; i < params.length; i++) {
      params[i] -= scale * delta[i];
    }
    iteration++;
    return new double[] {plus, minus};
  }

  private double calibrate(double[] params, ToDoubleFunction<double[]> loss) {
    double c = settings.c();
    double[] probe = new double[params.length];
    double magnitude = 0;
    for (int s = 0; s < CALIBRATION_STEPS; s++) {
      double[] delta = rademacher(params.length);
      double plus = evaluate(params, delta, c, probe, loss);
      double minus = evaluate(params, delta, -c, probe, loss);
      magnitude += Math.abs(plus - minus) / (2 * c);
    }
    magnitude /= CALIBRATION_STEPS;
    if (magnitude == 0) {
      // A flat loss around the start point: fall back to the target step itself.
      return TARGET_MAGNITUDE;
    }
    return TARGET_MAGNITUDE / magnitude * Math.pow(settings.stability() + 1, settings.alpha());
  }

  private static double evaluate(
      double[] params,
      double[] delta,
      double shift,
      double[] probe,
      ToDoubleFunction<double[]> loss) {
    for (int i = 0; i < params.length; i++) {
      probe[i] = params[i] + shift * delta[i];
    }
    return loss.applyAsDouble(probe);
  }

  private double[] rademacher(int n) {
    double[] delta = new double[n];
    for (int i = 0; i < n; i++) {
      delta[i] = rng.nextBoolean() ? 1.0 : -1.0;
    }
    return delta;
  }
}
