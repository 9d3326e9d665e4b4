package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

class SpsaTest {
  private static final ToDoubleFunction<double[]> BOWL =
      x -> (x[0] - 1) * (x[0] - 1) + 2 * (x[1] + 0.5) * (x[1] + 0.5);

  @Test
  void shouldMinimiseQuadraticBowl() {
    Spsa spsa = new Spsa(Spsa.Settings.DEFAULT, new SplittableRandom(1));
    double[] x = {0, 0};
    for (int k = 0; k < 300; k++) {
      spsa.step(x, BOWL);
    }
    assertEquals(1.0, x[0], 0.05);
    assertEquals(-0.5, x[1], 0.05);
    assertEquals(300, spsa.iteration());
  }

  @Test
  void shouldStepAlongHandDerivedGradientEstimate() {
    // f(x) = 3x on one parameter: with Δ = ±1, (f(x+cΔ) − f(x−cΔ))/(2c)·Δ = 3 exactly,
    // so the first step moves x by −a/(1+A)^0.602 · 3.
    Spsa spsa = new Spsa(new Spsa.Settings(0.5, 0.1, 4.0, 0.602, 0.101), new SplittableRandom(2));
    double[] x = {1.0};
    double[] losses = spsa.step(x, p -> 3 * p[0]);
    assertEquals(1.0 - 0.5 / Math.pow(5, 0.602) * 3, x[0], 1e-12);
    assertEquals(0.6, Math.abs(losses[0] - losses[1]), 1e-12);
  }

  @Test
  void shouldCalibrateLearningRateToTargetStep() {
    Spsa spsa = new Spsa(Spsa.Settings.DEFAULT, new SplittableRandom(3));
    double[] x = {0.0};
    spsa.step(x, p -> 3 * p[0]);
    // calibrated a = (2π/10)/3, so the first step is exactly 2π/10
    assertEquals(2 * Math.PI / 10 / 3, spsa.learningRate(), 1e-12);
    assertEquals(-2 * Math.PI / 10, x[0], 1e-12);
  }

  @Test
  void shouldRejectBadSettingsNamingTheField() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Spsa.Settings(0.1, 0.0, 0, 0.602, 0.101));
    assertTrue(e.getMessage().startsWith("c "));
    assertThrows(IllegalArgumentException.class, () -> new Spsa.Settings(-1, 0.1, 0, 0.602, 0.101));
  }
}
