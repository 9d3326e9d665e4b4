package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DiscriminatorTest {

  @Test
  void shouldHave1141WeightsFor1To50To20To1() {
    assertEquals(
        50 + 50 + 50 * 20 + 20 + 20 + 1,
        new Discriminator(new SplittableRandom(1)).weights().length);
  }

  @Test
  void shouldBackpropagateTheFiniteDifferenceGradient() {
    Discriminator d = new Discriminator(new SplittableRandom(2));
    double[] w = d.weights();
    double[] gradient = new double[w.length];
    double x = 0.37;
    d.accumulateGradient(x, 1.0, gradient);
    double h = 1e-6;
    for (int i = 0; i < w.length; i += 7) {
      double saved = w[i];
      w[i] = saved + h;
      double up = d.logit(x);
      w[i] = saved - h;
      double down = d.logit(x);
      w[i] = saved;
      assertEquals((up - down) / (2 * h), gradient[i], 1e-6, "weight " + i);
    }
  }

  @Test
  void shouldComputeStableLogSigmoid() {
    assertEquals(Math.log(0.5), Discriminator.logSigmoid(0), 1e-15);
    assertEquals(-800, Discriminator.logSigmoid(-800), 1e-9);
    assertEquals(0.0, Discriminator.logSigmoid(800), 1e-15);
    assertEquals(1 / (1 + Math.exp(-1.3)), Discriminator.sigmoid(1.3), 1e-15);
  }
}
