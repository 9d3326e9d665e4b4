package io.qmon.metrics.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** StateVector.of refuses bad snapshots with a message naming the field. */
class StateVectorTest {

  private static String refusal(double[] re, double[] im) {
    return assertThrows(IllegalArgumentException.class, () -> StateVector.of(re, im)).getMessage();
  }

  @Test
  void shouldNameBothFieldsWhenTheLengthsDiffer() {
    String m = refusal(new double[] {1, 0}, new double[] {0, 0, 0, 0});
    assertTrue(m.contains("re has 2") && m.contains("im has 4"), m);
  }

  @Test
  void shouldRefuseALengthThatIsNotAPowerOfTwo() {
    String m = refusal(new double[] {1, 0, 0}, new double[3]);
    assertTrue(m.contains("length 3") && m.contains("2^n"), m);
    assertTrue(refusal(new double[] {1}, new double[1]).contains("length 1"));
    assertTrue(refusal(new double[0], new double[0]).contains("length 0"));
  }

  @Test
  void shouldNameTheIndexOfANonFiniteAmplitude() {
    assertEquals(
        "re[2] is not finite: NaN", refusal(new double[] {1, 0, Double.NaN, 0}, new double[4]));
    assertEquals(
        "im[1] is not finite: Infinity",
        refusal(new double[] {1, 0}, new double[] {0, Double.POSITIVE_INFINITY}));
  }

  @Test
  void shouldSayTheNormWhenItIsNotOne() {
    String m = refusal(new double[] {0.9, 0}, new double[2]);
    assertTrue(m.contains("0.81") && m.contains("norm 0.9"), m);
    assertTrue(refusal(new double[2], new double[2]).contains("squared norm Σ|a_x|² = 0.0"));
  }

  @Test
  void shouldRefuseNullArrays() {
    assertEquals("re is null", refusal(null, new double[2]));
    assertEquals("im is null", refusal(new double[] {1, 0}, null));
  }

  @Test
  void shouldAcceptANormWithinToleranceAndRescaleIt() {
    double a = Math.sqrt(0.5 + 2e-7);
    StateVector s = StateVector.of(new double[] {a, 0}, new double[] {0, a});
    assertEquals(1, s.qubits());
    assertEquals(2, s.dimension());
    assertEquals(0.5, s.re(0) * s.re(0) + s.im(1) * s.im(1) - 0.5, 1e-15);
  }

  @Test
  void shouldCopyTheCallersArrays() {
    double[] re = {1, 0};
    StateVector s = StateVector.of(re, new double[2]);
    re[0] = 0;
    assertEquals(1.0, s.re(0));
  }
}
