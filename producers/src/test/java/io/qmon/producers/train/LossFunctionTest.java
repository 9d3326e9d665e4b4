package io.qmon.producers.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qmon.metrics.Distribution;
import io.qmon.metrics.KlSmoothing;
import io.qmon.metrics.KullbackLeibler;
import org.junit.jupiter.api.Test;

class LossFunctionTest {
  // 1 qubit on [0, 1]: P = (0.25, 0.75)
  private static final Target TARGET =
      new Target.Fixed("t", 1, 0, 1, Distribution.dense(1, new double[] {0.25, 0.75}));

  @Test
  void shouldComputeSmoothedKlByHand() {
    double eps = 0.01;
    double[] q = {0.5, 0.5};
    double norm = 1 + 2 * eps;
    double expected =
        (0.25 * Math.log(0.25 * norm / 0.51) + 0.75 * Math.log(0.75 * norm / 0.51)) / Math.log(2);
    assertEquals(expected, LossFunction.kl(TARGET, eps).evaluate(q), 1e-14);
  }

  @Test
  void shouldAgreeWithMetricsModuleKlUnderAdditiveSmoothing() {
    Target normal = Target.standardNormal(3);
    double[] q = {0, 0.1, 0.2, 0.3, 0.3, 0.1, 0, 0};
    double expected =
        KullbackLeibler.divergence(
                normal.distribution(),
                Distribution.dense(3, q),
                1024,
                KlSmoothing.additive(LossFunction.DEFAULT_KL_EPSILON))
            .bits();
    assertEquals(expected, LossFunction.of(Loss.KL, normal).evaluate(q), 1e-12);
  }

  @Test
  void shouldComputeJsdByHand() {
    double[] q = {1, 0};
    // M = (0.625, 0.375): ½[0.25 log(0.25/0.625) + 0.75 log(2)] + ½[log(1/0.625)]
    double expected =
        0.5 * (0.25 * Math.log(0.25 / 0.625) + 0.75 * Math.log(2)) + 0.5 * Math.log(1 / 0.625);
    assertEquals(expected / Math.log(2), LossFunction.of(Loss.JSD, TARGET).evaluate(q), 1e-14);
  }

  @Test
  void shouldComputeMmdByHand() {
    double[] q = {0.75, 0.25};
    // d = p − q = (−0.5, 0.5), values 0 and 1 one grid step apart:
    // k(0,0) = 2, k(0,1) = exp(−1/(2·0.25²)) + exp(−1/(2·4²))
    double k01 = Math.exp(-1 / (2 * 0.0625)) + Math.exp(-1 / (2 * 16.0));
    double expected = 0.25 * 2 * 2 - 2 * 0.25 * k01;
    assertEquals(expected, LossFunction.of(Loss.MMD, TARGET).evaluate(q), 1e-14);
    assertEquals(0.0, LossFunction.of(Loss.MMD, TARGET).evaluate(new double[] {0.25, 0.75}), 1e-15);
  }

  @Test
  void shouldRejectMismatchedSizeAndTooManyQubitsForMmd() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> LossFunction.of(Loss.JSD, TARGET).evaluate(new double[4]));
    assertTrue(e.getMessage().startsWith("q "));
    assertThrows(
        IllegalArgumentException.class, () -> LossFunction.of(Loss.MMD, Target.standardNormal(13)));
  }
}
