package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdamTest {

  @Test
  void shouldMoveByLearningRateOnFirstStep() {
    // bias correction makes the first update lr·g/|g| = lr·sign(g) (up to ε)
    Adam adam = new Adam(2, 0.1, 0.9, 0.999);
    double[] x = {1.0, -2.0};
    adam.step(x, new double[] {5.0, -0.01});
    assertEquals(0.9, x[0], 1e-6);
    assertEquals(-1.9, x[1], 1e-5);
  }

  @Test
  void shouldMinimiseQuadratic() {
    Adam adam = new Adam(1, 0.05, 0.9, 0.999);
    double[] x = {3.0};
    for (int i = 0; i < 2000; i++) {
      adam.step(x, new double[] {2 * (x[0] - 1)});
    }
    assertEquals(1.0, x[0], 1e-3);
  }

  @Test
  void shouldRejectBadSettingsNamingTheField() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new Adam(1, 0.1, 1.0, 0.9));
    assertTrue(e.getMessage().contains("beta1"));
  }
}
